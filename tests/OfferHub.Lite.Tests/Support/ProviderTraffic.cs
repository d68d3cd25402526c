using System.Collections.Concurrent;

namespace OfferHub.Lite.Tests.Support;

/// <summary>What a provider client sent and what it was answered, recorded at the HTTP boundary,
/// for the fidelity tests that check both against the provider's own documents.</summary>
public sealed class ProviderTraffic
{
    private readonly ConcurrentQueue<Exchange> exchanges = new();

    public sealed record Exchange(string Method, string PathAndQuery, string? RequestBody, int Status, string ResponseBody);

    public IReadOnlyList<Exchange> Exchanges => [.. exchanges];

    public DelegatingHandler Handler() => new Recorder(this);

    private sealed class Recorder(ProviderTraffic traffic) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var answer = await response.Content.ReadAsStringAsync(cancellationToken);
            traffic.exchanges.Enqueue(new Exchange(request.Method.Method, request.RequestUri!.PathAndQuery, body, (int)response.StatusCode, answer));
            return response;
        }
    }
}
