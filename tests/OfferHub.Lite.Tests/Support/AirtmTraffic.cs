using System.Collections.Concurrent;

namespace OfferHub.Lite.Tests.Support;

/// <summary>Everything that crossed the wire between the app and Airtm (here, its simulator): each
/// request our Airtm client sent with the answer it got, and each callback the simulator posted.
/// The fidelity tests check all of it against Airtm's OpenAPI document.</summary>
public sealed class AirtmTraffic
{
    public sealed record Exchange(string Method, string Path, string? RequestBody, int Status, string ResponseBody);

    public ConcurrentQueue<Exchange> Calls { get; } = new();

    public ConcurrentQueue<Exchange> Callbacks { get; } = new();

    public static DelegatingHandler Recorder(ConcurrentQueue<Exchange> into) => new Recording(into);

    private sealed class Recording(ConcurrentQueue<Exchange> into) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            into.Enqueue(new Exchange(request.Method.Method, request.RequestUri!.AbsolutePath, body, (int)response.StatusCode,
                await response.Content.ReadAsStringAsync(cancellationToken)));
            return response;
        }
    }
}
