using System.Collections.Immutable;
using System.Text;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Events.StreamEvents;

/// <summary>One reader of the outbox per instance for all live streams: it follows the delivery
/// sequence, keeps the most recent events in memory (parsed and encoded to their SSE frame once)
/// and wakes the streams, which filter in memory; its idle ticks are the streams' heartbeat
/// clock. A stream whose position is older than the window (a replay from a cursor, or a
/// consumer that fell far behind) reads the outbox itself until it reaches the window. The tail
/// reads only while at least one stream is open.</summary>
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
    /// <see cref="Advanced"/> completes when the tail publishes again (new events, or an idle tick
    /// with the same ones). The closed window (the tail not reading) serves no position.</summary>
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

        /// <summary>The index of the first event after <paramref name="position"/> (Events.Length
        /// when there is none): events are in seq order, so a binary search finds it.</summary>
        public int IndexAfter(long position)
        {
            var (low, high) = (0, Events.Length);
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (Events[middle].Seq <= position)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }

        internal void Replaced() => advanced.TrySetResult();
    }

    /// <summary>An event as every stream sends it, prepared once: its SSE frame already in UTF-8,
    /// so a stream only copies bytes.</summary>
    public sealed record TailEvent(long Seq, EventResponse Response, ReadOnlyMemory<byte> Frame);

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

    /// <summary>The SSE frame of one event in UTF-8: id, event type and the event as JSON (compact
    /// JSON has no line break, so it is one data line).</summary>
    public static byte[] FrameOf(EventResponse evt) =>
        [.. Encoding.UTF8.GetBytes($"id: {evt.Id}\nevent: {evt.Type}\ndata: "), .. ApiJson.SerializeToUtf8Bytes(evt), .. "\n\n"u8];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.Events.PollIntervalMs);
        var heartbeat = TimeSpan.FromSeconds(options.Events.HeartbeatSeconds);
        var tick = heartbeat < poll ? heartbeat : poll;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FollowAsync(poll, tick, stoppingToken);
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

    /// <param name="tick">How long the tail stays quiet at most: an idle tick re-publishes the
    /// window unchanged, which wakes every stream to send its heartbeat if one is due, so no
    /// stream needs a timer of its own.</param>
    private async Task FollowAsync(TimeSpan poll, TimeSpan tick, CancellationToken ct)
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

            if (rows.Count < Batch && await Task.WhenAny(changed, Task.Delay(tick, ct)) != changed)
            {
                ct.ThrowIfCancellationRequested();
                var idle = Current;
                Publish(new Window(idle.After, idle.Events));
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
