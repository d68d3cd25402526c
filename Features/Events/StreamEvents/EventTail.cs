using System.Collections.Immutable;
using System.Text;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Events.StreamEvents;

/// <summary>One reader of the outbox per instance for all live streams: it follows the delivery
/// sequence, keeps the most recent events in memory (parsed and serialized once) and wakes the
/// streams, which filter in memory. A stream whose position is older than the window (a replay
/// from a cursor, or a consumer that fell far behind) reads the outbox itself until it reaches
/// the window. The tail reads only while at least one stream is open.</summary>
public sealed partial class EventTail(Database database, EventBus bus, OfferHubOptions options, ILogger<EventTail> logger) : BackgroundService
{
    private const int Batch = 1000;
    private const string Sql = $"SELECT {EventRow.Columns} FROM events WHERE seq > @head ORDER BY seq ASC LIMIT @batch";
    private const string HeadSql = "SELECT COALESCE(MAX(seq), 0) FROM events";

    /// <summary>How many recent events the window keeps: a stream at most this far behind is
    /// served from memory.</summary>
    public const int Capacity = 4096;

    private Window current = Window.Closed;
    private int subscribers;
    private TaskCompletionSource wanted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The events after <see cref="After"/> up to the newest read, oldest first;
    /// <see cref="Advanced"/> completes when a newer window replaces this one. The closed window
    /// (the tail not reading) serves no position.</summary>
    public sealed class Window(long after, ImmutableArray<TailEvent> events)
    {
        private readonly TaskCompletionSource advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static readonly Window Closed = new(long.MaxValue, []);

        public long After { get; } = after;

        public ImmutableArray<TailEvent> Events { get; } = events;

        public Task Advanced => advanced.Task;

        /// <summary>The newest sequence read, null for the closed window.</summary>
        public long? Head => ReferenceEquals(this, Closed) ? null : Events.IsEmpty ? After : Events[^1].Seq;

        public bool Serves(long position) => position >= After;

        internal void Replaced() => advanced.TrySetResult();
    }

    /// <summary>An event as every stream sends it, prepared once.</summary>
    public sealed record TailEvent(long Seq, EventResponse Response, string Frame);

    public Window Current => Volatile.Read(ref current);

    /// <summary>Counts a stream in for as long as the returned handle lives; the first one starts
    /// the reading.</summary>
    public IDisposable Subscribe()
    {
        if (Interlocked.Increment(ref subscribers) == 1)
        {
            Volatile.Read(ref wanted).TrySetResult();
        }

        return new Subscription(this);
    }

    /// <summary>The SSE frame of one event: id, event type and the event as JSON.</summary>
    public static string FrameOf(EventResponse evt) =>
        $"id: {evt.Id}\nevent: {evt.Type}\ndata: {Encoding.UTF8.GetString(ApiJson.SerializeToUtf8Bytes(evt))}\n\n";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.Events.PollIntervalMs);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FollowAsync(poll, stoppingToken);
            }
            catch (Exception failure) when (!stoppingToken.IsCancellationRequested)
            {
                // Streams fall back to reading the outbox themselves while the tail is closed.
                Publish(Window.Closed);
                LogTailFailed(failure.GetType().Name);
                await Task.Delay(poll, stoppingToken);
            }
        }

        Publish(Window.Closed);
    }

    private async Task FollowAsync(TimeSpan poll, CancellationToken ct)
    {
        while (Volatile.Read(ref subscribers) == 0)
        {
            Publish(Window.Closed);
            var waiting = Volatile.Read(ref wanted).Task;
            if (Volatile.Read(ref subscribers) == 0)
            {
                await Task.WhenAny(waiting, Task.Delay(poll, ct));
                ct.ThrowIfCancellationRequested();
            }
        }

        // Opening starts at the newest event: older positions are served by the outbox itself.
        var head = await ReadAsync(db => db.ExecuteScalarAsync<long>(HeadSql, null, ct));
        Publish(new Window(head, []));
        while (Volatile.Read(ref subscribers) > 0)
        {
            var changed = bus.NextChange;
            var rows = await ReadAsync(db => db.QueryAsync<EventRow>(Sql, new { head, batch = Batch }, ct));
            if (rows.Count > 0)
            {
                head = Append(rows);
            }

            if (rows.Count < Batch)
            {
                await Task.WhenAny(changed, Task.Delay(poll, ct));
                ct.ThrowIfCancellationRequested();
            }
        }
    }

    private long Append(IReadOnlyList<EventRow> rows)
    {
        var window = Current;
        var events = window.Events.AddRange(rows.Select(row =>
        {
            var response = row.ToResponse();
            return new TailEvent(row.Seq!.Value, response, FrameOf(response));
        }));
        var after = window.After;
        if (events.Length > Capacity)
        {
            var dropped = events.Length - Capacity;
            after = events[dropped - 1].Seq;
            events = events.RemoveRange(0, dropped);
        }

        Publish(new Window(after, events));
        return events[^1].Seq;
    }

    private void Publish(Window window)
    {
        var previous = Interlocked.Exchange(ref current, window);
        if (!ReferenceEquals(previous, window))
        {
            previous.Replaced();
        }
    }

    private async Task<T> ReadAsync<T>(Func<Db, Task<T>> read)
    {
        await using var db = new Db(database);
        return await read(db);
    }

    private void Unsubscribe()
    {
        if (Interlocked.Decrement(ref subscribers) == 0)
        {
            Interlocked.Exchange(ref wanted, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    private sealed class Subscription(EventTail tail) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                tail.Unsubscribe();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The live event tail failed ({Failure}); streams read the outbox themselves until it reopens")]
    private partial void LogTailFailed(string failure);
}
