using System.Text;
using System.Threading.Channels;
using OfferHub.Lite.Infrastructure.Configuration;

namespace OfferHub.Lite.Features.SimulatedProviders;

/// <summary>A simulator's outgoing notifications: queued, sent one after another to our own webhook
/// endpoint, retried on a compressed schedule. Tests can delay, drop, duplicate or hold (then
/// release, optionally reversed) what is sent. Subclasses say where and how it is signed.</summary>
public abstract partial class SimulatorCallbacks(IHttpClientFactory clients, OfferHubOptions options, TimeProvider clock, ILogger logger)
    : BackgroundService
{
    private readonly Channel<Callback> queue = Channel.CreateUnbounded<Callback>();
    private readonly Lock gate = new();
    private readonly List<Callback> heldBack = [];
    private CallbackMode mode = new("normal", 0);
    private int inFlight;
    private int dropped;
    private int duplicated;
    private int held;

    public sealed record Callback(string Id, string Type, byte[] Body);

    /// <summary>normal, drop, duplicate or hold; DelayMs before each send.</summary>
    public sealed record CallbackMode(string Mode, int DelayMs);

    /// <summary>Callbacks queued or being sent; tests wait for zero instead of sleeping.</summary>
    public int Pending => Volatile.Read(ref inFlight) + queue.Reader.Count;

    /// <summary>How many callbacks each mode has touched so far (a fault campaign reports them).</summary>
    public sealed record Counts(int Pending, int Dropped, int Duplicated, int Held);

    public Counts Count()
    {
        lock (gate)
        {
            return new Counts(Pending, dropped, duplicated, held);
        }
    }

    protected abstract string HttpClientName { get; }

    protected abstract string WebhookPath { get; }

    protected OfferHubOptions Options => options;

    protected TimeProvider Clock => clock;

    protected abstract void Sign(HttpRequestMessage request, Callback callback);

    public void SetMode(CallbackMode value)
    {
        lock (gate)
        {
            mode = value;
        }
    }

    protected void Enqueue(Callback callback)
    {
        lock (gate)
        {
            switch (mode.Mode)
            {
                case "drop":
                    dropped++;
                    return;
                case "hold":
                    heldBack.Add(callback);
                    held++;
                    return;
                case "duplicate":
                    duplicated++;
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
            releasing = [.. heldBack];
            heldBack.Clear();
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
        var target = new Uri(options.PublicBaseUrl.TrimEnd('/') + WebhookPath);
        foreach (var wait in options.Airtm.SimulatorRetryDelaysMs)
        {
            if (wait > 0)
            {
                await Task.Delay(wait, ct);
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(callback.Body) };
                request.Content.Headers.ContentType = new("application/json");
                Sign(request, callback);
                using var response = await client.SendAsync(request, ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                LogRefused(HttpClientName, callback.Type, (int)response.StatusCode, Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(ct)));
            }
            catch (HttpRequestException failure)
            {
                LogUnreachable(HttpClientName, callback.Type, failure.HttpRequestError.ToString());
            }
        }

        LogGaveUp(HttpClientName, callback.Type, callback.Id);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Simulator}: callback {Type} answered {Status}: {Body}")]
    private partial void LogRefused(string simulator, string type, int status, string body);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Simulator}: callback {Type} could not be sent: {Reason}")]
    private partial void LogUnreachable(string simulator, string type, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Simulator}: gave up on callback {Type} {Id}")]
    private partial void LogGaveUp(string simulator, string type, string id);
}

/// <summary>Faults a test queues for a simulator's next API calls: a status instead of the call,
/// or the call's effect followed by a hang (the response is lost to a client that times out).</summary>
public sealed class SimulatorFaults
{
    private readonly Lock gate = new();
    private readonly Queue<Fault> faults = new();
    private int appliedStatuses;
    private int appliedHangs;

    public sealed record Fault(int? Status, double HangSeconds);

    /// <summary>What is still queued and what has been applied so far (a fault campaign reports them).</summary>
    public sealed record Counts(int Queued, int AppliedStatuses, int AppliedHangs);

    public void Add(Fault fault, int count)
    {
        lock (gate)
        {
            for (var i = 0; i < count; i++)
            {
                faults.Enqueue(fault);
            }
        }
    }

    /// <summary>Drops every queued fault (those no call has met yet).</summary>
    public int Clear()
    {
        lock (gate)
        {
            var dropped = faults.Count;
            faults.Clear();
            return dropped;
        }
    }

    public Counts Count()
    {
        lock (gate)
        {
            return new Counts(faults.Count, appliedStatuses, appliedHangs);
        }
    }

    /// <summary>Runs the call under the next queued fault, if any.</summary>
    public async ValueTask<object?> ApplyAsync(HttpContext http, Func<ValueTask<object?>> call, Func<int, object> failure)
    {
        Fault? fault;
        lock (gate)
        {
            fault = faults.TryDequeue(out var next) ? next : null;
            if (fault?.Status is not null)
            {
                appliedStatuses++;
            }
            else if (fault is not null)
            {
                appliedHangs++;
            }
        }

        if (fault?.Status is { } status)
        {
            return failure(status);
        }

        var result = await call();
        if (fault is not null)
        {
            await Task.Delay(TimeSpan.FromSeconds(fault.HangSeconds), http.RequestAborted);
        }

        return result;
    }
}
