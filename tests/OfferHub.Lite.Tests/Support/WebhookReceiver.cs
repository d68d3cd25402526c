using System.Collections.Concurrent;
using System.Net;

namespace OfferHub.Lite.Tests.Support;

/// <summary>The marketplace backend's side of outbound webhooks: records every request and answers
/// each URL with the statuses a test scripted (then 200).</summary>
public sealed class WebhookReceiver
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<HttpStatusCode>> scripts = new();

    public ConcurrentQueue<Received> Requests { get; } = new();

    public sealed record Received(string Url, IReadOnlyDictionary<string, string> Headers, string Body, HttpStatusCode AnsweredWith);

    public void Script(string url, params HttpStatusCode[] statuses) => scripts[url] = new ConcurrentQueue<HttpStatusCode>(statuses);

    public IReadOnlyList<Received> For(string url) => [.. Requests.Where(r => r.Url == url)];

    public HttpMessageHandler Handler() => new ReceiverHandler(this);

    /// <summary>Waits until <paramref name="url"/> has received at least <paramref name="count"/> requests.</summary>
    public Task<IReadOnlyList<Received>> WaitForAsync(string url, int count) =>
        Eventually.UntilAsync(() => Task.FromResult(For(url)), r => r.Count >= count, r => $"{url} received {r.Count} of {count}");

    private sealed class ReceiverHandler(WebhookReceiver receiver) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.ToString();
            var status = receiver.scripts.TryGetValue(url, out var script) && script.TryDequeue(out var scripted) ? scripted : HttpStatusCode.OK;
            var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
            receiver.Requests.Enqueue(new Received(url, headers, await request.Content!.ReadAsStringAsync(cancellationToken), status));
            var response = new HttpResponseMessage(status) { Content = new StringContent(status == HttpStatusCode.OK ? "thanks" : "nope") };
            if (status == HttpStatusCode.Redirect)
            {
                response.Headers.Location = new Uri("https://elsewhere.example/hook");
            }

            return response;
        }
    }
}
