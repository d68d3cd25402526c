using System.Text.Json;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.Events;

/// <summary>The outbox dispatcher. On PostgreSQL, after commits it gives the new events their
/// delivery sequence in one transaction per batch (one sequencer at a time across instances: a
/// PostgreSQL advisory lock); on SQLite events are numbered as they are written (see
/// <see cref="QueueDeliveriesInlineAsync"/>), and the background run only picks up strays. It
/// queues one outbound webhook delivery per matching endpoint in the same transaction, and wakes
/// the live streams. Sequencing after commit is what makes the stream lossless: an event whose
/// transaction committed late gets a later number instead of being skipped.</summary>
public sealed partial class EventSequencer(Database.Database database, EventBus bus, OfferHubOptions options, TimeProvider clock, ILogger<EventSequencer> logger)
    : BackgroundService
{
    private const int Batch = 500;
    private const long AdvisoryLock = 0x0FF3_4B5E;

    private const string LockSql = "SELECT pg_advisory_xact_lock(@key)";
    private const string PendingSql = "SELECT id, type, resource_type, resource_id, trace_parent FROM events WHERE seq IS NULL ORDER BY id LIMIT @batch";
    private const string MaxSql = "SELECT COALESCE(MAX(seq), 0) FROM events";
    // Numbers a whole batch in one statement, in id order after the highest number so far.
    private const string AssignSql = """
        UPDATE events SET seq = numbered.seq
        FROM (SELECT id, @highest + ROW_NUMBER() OVER (ORDER BY id) AS seq FROM events WHERE id IN @ids AND seq IS NULL) AS numbered
        WHERE events.id = numbered.id
        """;
    private const string EndpointsSql = "SELECT id, types FROM webhook_endpoints WHERE status = 'ACTIVE' AND deleted_at IS NULL";
    private const string DeliverySql = """
        INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
        VALUES (@id, @endpointId, @eventId, 'PENDING', 0, @now, @now, @now)
        ON CONFLICT (endpoint_id, event_id) DO NOTHING
        """;

    private readonly SemaphoreSlim wake = new(0, 1);

    /// <summary>Asks for a run now (called after every commit that wrote events).</summary>
    public void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }
    }

    /// <summary>On SQLite, where an event is numbered by the INSERT that writes it (see
    /// <see cref="Outbox"/>): queues its deliveries in the same transaction, so no second
    /// transaction is needed, and wakes the streams after the commit.</summary>
    public async Task QueueDeliveriesInlineAsync(Db db, string eventId, string type, CancellationToken ct)
    {
        // Read once per transaction: a request that writes several events (a reserve writes
        // three) matches them all against the same endpoints. No unit of work both changes
        // webhook endpoints and publishes events.
        var endpoints = await db.ReadOncePerTransactionAsync(EndpointsSql, () => ActiveEndpointsAsync(db, ct));
        await QueueDeliveriesAsync(db, endpoints, eventId, type, clock.NowMs(), ct);
        db.AfterCommit(() => _ = bus.PublishAsync());
    }

    /// <summary>Sequences everything committed so far; returns how many events it numbered.</summary>
    public async Task<int> SequenceAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var sequenced = await SequenceBatchAsync(ct);
            total += sequenced;
            if (sequenced < Batch)
            {
                break;
            }
        }

        if (total > 0)
        {
            await bus.PublishAsync();
        }

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Events.PollIntervalMs);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await wake.WaitAsync(interval, stoppingToken);
                await SequenceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure) when (failure is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                // The database is away; the events wait in the outbox for the next run.
                LogFailed(failure.GetType().Name, failure.Message);
            }
        }
    }

    private async Task<int> SequenceBatchAsync(CancellationToken ct)
    {
        await using var db = new Db(database);
        await using var scope = db.BeginScope();
        if (db.Dialect == SqlDialect.Postgres)
        {
            await db.ExecuteScalarAsync<object>(LockSql, new { key = AdvisoryLock }, ct);
        }

        var pending = await db.QueryAsync<PendingEvent>(PendingSql, new { batch = Batch }, ct);
        if (pending.Count == 0)
        {
            await scope.CompleteAsync();
            return 0;
        }

        // One span per published batch, linked to the span that wrote each event.
        using var span = Observability.Telemetry.Source.StartActivity("outbox publish");
        if (span is not null)
        {
            span.SetTag("offerhub.outbox.events", pending.Count);
            foreach (var evt in pending)
            {
                TraceLinks.Link(span, evt.TraceParent, evt.ResourceType, evt.ResourceId);
            }
        }

        var highest = await db.ExecuteScalarAsync<long>(MaxSql, null, ct);
        await db.ExecuteAsync(AssignSql, new { highest, ids = pending.Select(e => e.Id).ToArray() }, ct);
        var endpoints = await ActiveEndpointsAsync(db, ct);
        var now = clock.NowMs();
        foreach (var evt in pending)
        {
            await QueueDeliveriesAsync(db, endpoints, evt.Id, evt.Type, now, ct);
        }

        await scope.CompleteAsync();
        return pending.Count;
    }

    /// <summary>The endpoints deliveries go to, with their type patterns parsed.</summary>
    private static async Task<IReadOnlyList<Endpoint>> ActiveEndpointsAsync(Db db, CancellationToken ct) =>
        [.. (await db.QueryAsync<EndpointTypes>(EndpointsSql, null, ct))
            .Select(e => new Endpoint(e.Id, JsonSerializer.Deserialize<List<string>>(e.Types) ?? []))];

    /// <summary>One delivery of the event per endpoint whose patterns match its type.</summary>
    private static async Task QueueDeliveriesAsync(Db db, IReadOnlyList<Endpoint> endpoints, string eventId, string type, long now, CancellationToken ct)
    {
        foreach (var endpoint in endpoints.Where(e => EventTypes.Matches(e.Types, type)))
        {
            await db.ExecuteAsync(DeliverySql, new { id = Ids.New("whd"), endpointId = endpoint.Id, eventId, now }, ct);
        }
    }

    private sealed record PendingEvent(string Id, string Type, string ResourceType, string ResourceId, string? TraceParent);

    private sealed record EndpointTypes(string Id, string Types);

    private sealed record Endpoint(string Id, List<string> Types);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event sequencing failed ({Failure}: {Message}); retrying at the next run")]
    private partial void LogFailed(string failure, string message);
}
