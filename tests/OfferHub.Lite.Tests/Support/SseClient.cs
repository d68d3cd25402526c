using System.Text.Json;
using System.Threading.Channels;

namespace OfferHub.Lite.Tests.Support;

/// <summary>A Server-Sent Events reader: each message (id, event, data) or comment lands in a
/// channel the test reads with a deadline.</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Channel<SseMessage> messages = Channel.CreateUnbounded<SseMessage>();
    private readonly HttpResponseMessage response;
    private readonly Task reading;

    private SseClient(HttpResponseMessage response)
    {
        this.response = response;
        // An error answer is left for the test to read; only a stream is consumed here.
        reading = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? Task.Run(ReadAsync) : Task.CompletedTask;
    }

    public sealed record SseMessage(string? Id, string? Event, string? Data, string? Comment, string? Retry)
    {
        public JsonElement Json => JsonDocument.Parse(Data!).RootElement;
    }

    public HttpResponseMessage Response => response;

    public static async Task<SseClient> OpenAsync(HttpClient client, string path, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new SseClient(response);
    }

    /// <summary>The next message with an event, skipping comments and the retry hint.</summary>
    public async Task<SseMessage> NextEventAsync(int timeoutMs = 10_000)
    {
        using var deadline = new CancellationTokenSource(timeoutMs);
        while (true)
        {
            var message = await messages.Reader.ReadAsync(deadline.Token);
            if (message.Event is not null)
            {
                return message;
            }
        }
    }

    public async Task<SseMessage> NextAsync(int timeoutMs = 10_000)
    {
        using var deadline = new CancellationTokenSource(timeoutMs);
        return await messages.Reader.ReadAsync(deadline.Token);
    }

    private async Task ReadAsync()
    {
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
            string? id = null, type = null, data = null, comment = null, retry = null;
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    await messages.Writer.WriteAsync(new SseMessage(id, type, data, comment, retry));
                    id = type = data = comment = retry = null;
                }
                else if (line.StartsWith(':'))
                {
                    comment = line[1..].Trim();
                }
                else
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    var (field, value) = (line[..colon], line[(colon + 1)..].TrimStart());
                    switch (field)
                    {
                        case "id": id = value; break;
                        case "event": type = value; break;
                        case "data": data = value; break;
                        case "retry": retry = value; break;
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
            // The stream ended.
        }
        finally
        {
            messages.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        response.Dispose();
        await reading;
        stop.Dispose();
    }
}
