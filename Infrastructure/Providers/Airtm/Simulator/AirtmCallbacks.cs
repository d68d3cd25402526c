using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Webhooks;

namespace OfferHub.Lite.Infrastructure.Providers.Airtm.Simulator;

/// <summary>The simulator's Svix: every callback gets its own svix-id and is signed with the
/// webhook secret and POSTed to PUBLIC_BASE_URL/api/v1/webhooks/airtm, retried on failure on a
/// compressed Svix schedule. Tests can delay, drop, duplicate or hold (then release in reverse
/// order) what is sent.</summary>
public sealed partial class AirtmCallbacks(IHttpClientFactory clients, OfferHubOptions options, TimeProvider clock, ILogger<AirtmCallbacks> logger)
    : BackgroundService
{
    public const string HttpClientName = "airtm-simulator-callbacks";

    private readonly Channel<Callback> queue = Channel.CreateUnbounded<Callback>();
    private readonly Lock gate = new();
    private readonly List<Callback> held = [];
    private CallbackMode mode = new("normal", 0);
    private int inFlight;

    public sealed record Callback(string Id, string Type, byte[] Body);

    /// <summary>normal, drop, duplicate or hold; DelayMs before each send.</summary>
    public sealed record CallbackMode(string Mode, int DelayMs);

    /// <summary>Callbacks queued or being sent; tests wait for zero instead of sleeping.</summary>
    public int Pending => Volatile.Read(ref inFlight) + queue.Reader.Count;

    public void SetMode(CallbackMode value)
    {
        lock (gate)
        {
            mode = value;
        }
    }

    public void Enqueue(string type, object data)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { type, data }, AirtmJson.Options);
        var callback = new Callback("msg_" + Guid.NewGuid().ToString("N"), type, body);
        lock (gate)
        {
            switch (mode.Mode)
            {
                case "drop":
                    return;
                case "hold":
                    held.Add(callback);
                    return;
                case "duplicate":
                    queue.Writer.TryWrite(callback);
                    break;
            }
        }

        queue.Writer.TryWrite(callback);
    }

    /// <summary>Sends the held callbacks, newest first (reordered) or in order.</summary>
    public int Release(bool reverse)
    {
        List<Callback> releasing;
        lock (gate)
        {
            releasing = [.. held];
            held.Clear();
        }

        if (reverse)
        {
            releasing.Reverse();
        }

        foreach (var callback in releasing)
        {
            queue.Writer.TryWrite(callback);
        }

        return releasing.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var callback in queue.Reader.ReadAllAsync(stoppingToken))
        {
            Interlocked.Increment(ref inFlight);
            try
            {
                await DeliverAsync(callback, stoppingToken);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }
    }

    private async Task DeliverAsync(Callback callback, CancellationToken ct)
    {
        int delay;
        lock (gate)
        {
            delay = mode.DelayMs;
        }

        if (delay > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay), clock, ct);
        }

        var client = clients.CreateClient(HttpClientName);
        var target = new Uri(options.PublicBaseUrl.TrimEnd('/') + "/api/v1/webhooks/airtm");
        foreach (var wait in options.Airtm.SimulatorRetryDelaysMs)
        {
            if (wait > 0)
            {
                await Task.Delay(wait, ct);
            }

            try
            {
                var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
                using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(callback.Body) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.Add("svix-id", callback.Id);
                request.Headers.Add("svix-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.Add("svix-signature", WebhookSignature.Sign(options.Airtm.WebhookSecret!, callback.Id, timestamp, callback.Body));
                using var response = await client.SendAsync(request, ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                LogRefused(callback.Type, (int)response.StatusCode, Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(ct)));
            }
            catch (HttpRequestException failure)
            {
                LogUnreachable(callback.Type, failure.HttpRequestError.ToString());
            }
        }

        LogGaveUp(callback.Type, callback.Id);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Airtm simulator: callback {Type} answered {Status}: {Body}")]
    private partial void LogRefused(string type, int status, string body);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Airtm simulator: callback {Type} could not be sent: {Reason}")]
    private partial void LogUnreachable(string type, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Airtm simulator: gave up on callback {Type} {Id}")]
    private partial void LogGaveUp(string type, string id);
}
