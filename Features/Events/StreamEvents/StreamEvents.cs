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

    /// <summary>An event to send as its SSE frame, or (Event null) a heartbeat.</summary>
    public sealed record Item(EventResponse? Event, string? Frame)
    {
        public static readonly Item Heartbeat = new(null, null);
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
            var lastSent = DateTime.UtcNow;
            // The first item says the stream is open (headers can go out before any event).
            yield return Item.Heartbeat;
            while (!cancellationToken.IsCancellationRequested)
            {
                Task changed;
                var window = tail.Current;
                if (window.Serves(position))
                {
                    // Live: the shared tail has every event after this position in memory.
                    changed = window.Advanced;
                    foreach (var evt in window.Events)
                    {
                        if (evt.Seq <= position)
                        {
                            continue;
                        }

                        position = evt.Seq;
                        if (matches(evt.Response))
                        {
                            lastSent = DateTime.UtcNow;
                            yield return new Item(evt.Response, evt.Frame);
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
                        lastSent = DateTime.UtcNow;
                        var response = row.ToResponse();
                        yield return new Item(response, EventTail.FrameOf(response));
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

                    if (!ReferenceEquals(window, tail.Current))
                    {
                        continue;
                    }
                }

                var untilHeartbeat = heartbeat - (DateTime.UtcNow - lastSent);
                if (untilHeartbeat <= TimeSpan.Zero)
                {
                    lastSent = DateTime.UtcNow;
                    yield return Item.Heartbeat;
                    continue;
                }

                await Task.WhenAny(changed, Task.Delay(untilHeartbeat < poll ? untilHeartbeat : poll, cancellationToken));
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
