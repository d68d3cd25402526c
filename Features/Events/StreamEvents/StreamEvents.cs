using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.Events.StreamEvents;

/// <summary>The live stream of events.md: every stored event after the cursor that matches the
/// filters, then each new one as it is sequenced, forever. It follows the outbox's delivery
/// sequence, so the switch from replay to live has no gap and no duplicate; heartbeats come as
/// items without an event.</summary>
public static class StreamEvents
{
    private const int Batch = 200;

    public sealed record Query(string? Types, string? UserId, string? ResourceType, string? ResourceId, string? Cursor) : IStreamQuery<Item>, IEventFilter;

    /// <summary>SSE frames to write together and flush once; none means a heartbeat.</summary>
    public sealed record Item(ReadOnlyMemory<byte>[] Frames)
    {
        public static readonly Item Heartbeat = new([]);
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            EventFilters.AddRules(this);
            RuleFor(q => q.Cursor).MustBeCursor("evt");
        }
    }

    public sealed class Handler(Database database, EventBus bus, EventTail tail, OfferHubOptions options) : IStreamQueryHandler<Query, Item>
    {
        private const string Sql = $"SELECT {EventRow.Columns} FROM events /**where**/ ORDER BY seq ASC LIMIT 200";
        private const string LatestSql = "SELECT COALESCE(MAX(seq), 0) FROM events";

        // A cursor that was delivered has a sequence; one that is unknown (expired, or from another
        // system) resumes after the last sequenced event that is not newer than it.
        private const string CursorSql = "SELECT COALESCE(MAX(seq), 0) FROM events WHERE id <= @cursor AND seq IS NOT NULL";

        public async IAsyncEnumerable<Item> Handle(Query query, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var subscription = tail.Subscribe();
            var position = await ReadAsync(db => db.ExecuteScalarAsync<long>(query.Cursor is null ? LatestSql : CursorSql, new { cursor = query.Cursor }, cancellationToken));
            var matches = EventFilters.Matcher(query);
            var poll = TimeSpan.FromMilliseconds(options.Events.PollIntervalMs);
            var heartbeat = TimeSpan.FromSeconds(options.Events.HeartbeatSeconds);
            var batch = new Frames();
            // The first item says the stream is open (headers can go out before any event).
            yield return batch.Heartbeat();
            while (!cancellationToken.IsCancellationRequested)
            {
                Task changed;
                var window = tail.Current;
                var live = window.Serves(position);
                if (live)
                {
                    // Live: the shared tail has every event after this position in memory.
                    changed = window.Advanced;
                    var events = window.Events;
                    for (var i = window.IndexAfter(position); i < events.Length; i++)
                    {
                        position = events[i].Seq;
                        if (matches(events[i].Response) && batch.Add(events[i].Frame))
                        {
                            yield return batch.Take();
                        }
                    }
                }
                else
                {
                    // Replay (or the tail is not reading): from the outbox, in batches.
                    changed = bus.NextChange;
                    var where = EventFilters.Where(query).When(true, "seq > @position", "position", position);
                    var rows = await ReadAsync(db => db.QueryAsync<EventRow>(where.Into(Sql), where.Parameters, cancellationToken));
                    foreach (var row in rows)
                    {
                        position = row.Seq!.Value;
                        if (batch.Add(EventTail.FrameOf(row.ToResponse())))
                        {
                            yield return batch.Take();
                        }
                    }

                    if (rows.Count == Batch)
                    {
                        continue;
                    }

                    // Nothing more matches up to what the tail had read before this query, so the
                    // stream can join the window even when its filter matched nothing.
                    if (window.Head is { } head && head > position)
                    {
                        position = head;
                    }
                }

                // Everything matched since the last wake-up goes out together, flushed once.
                if (batch.Count > 0)
                {
                    yield return batch.Take();
                }

                var untilHeartbeat = heartbeat - (DateTime.UtcNow - batch.LastSent);
                if (untilHeartbeat <= TimeSpan.Zero)
                {
                    yield return batch.Heartbeat();
                    continue;
                }

                if (live)
                {
                    // One wake-up shared by every stream, and no timer per stream: the tail's next
                    // window, or its idle tick when a heartbeat may be due.
                    await changed.WaitAsync(cancellationToken);
                }
                else if (ReferenceEquals(window, tail.Current))
                {
                    await Task.WhenAny(changed, Task.Delay(untilHeartbeat < poll ? untilHeartbeat : poll, cancellationToken));
                }
            }
        }

        // Each read takes a pooled connection for a moment: a stream holds none while it waits. When
        // a commit wakes every stream at once, the gate keeps them from draining the pool.
        private static readonly SemaphoreSlim ReadGate = new(16, 16);

        private async Task<T> ReadAsync<T>(Func<Db, Task<T>> read)
        {
            await ReadGate.WaitAsync();
            try
            {
                await using var db = new Db(database);
                return await read(db);
            }
            finally
            {
                ReadGate.Release();
            }
        }
    }

    /// <summary>The frames a stream has matched since it last wrote, handed out together; a batch
    /// is cut at <see cref="Limit"/> bytes so that what one stream holds before the response's own
    /// back-pressure applies stays small, however far behind it is.</summary>
    private sealed class Frames
    {
        private const int Limit = 64 * 1024;

        private readonly List<ReadOnlyMemory<byte>> frames = [];
        private int bytes;

        public int Count => frames.Count;

        /// <summary>When the stream last sent something, events or a heartbeat.</summary>
        public DateTime LastSent { get; private set; } = DateTime.UtcNow;

        /// <summary>Adds a frame; true when the batch is full and must be taken now.</summary>
        public bool Add(ReadOnlyMemory<byte> frame)
        {
            frames.Add(frame);
            bytes += frame.Length;
            return bytes >= Limit;
        }

        public Item Take()
        {
            var item = new Item([.. frames]);
            frames.Clear();
            bytes = 0;
            LastSent = DateTime.UtcNow;
            return item;
        }

        public Item Heartbeat()
        {
            LastSent = DateTime.UtcNow;
            return Item.Heartbeat;
        }
    }

    /// <summary>One open stream per user_id filter per API key (api.md's limit), in this process.</summary>
    public sealed class Slots
    {
        private readonly ConcurrentDictionary<string, byte> open = new();

        public IDisposable? TryTake(string owner, string? userId)
        {
            if (userId is null)
            {
                return new Slot(null, open);
            }

            var key = owner + "|" + userId;
            return open.TryAdd(key, 0) ? new Slot(key, open) : null;
        }

        private sealed class Slot(string? key, ConcurrentDictionary<string, byte> open) : IDisposable
        {
            public void Dispose()
            {
                if (key is not null)
                {
                    open.TryRemove(key, out _);
                }
            }
        }
    }
}
