using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Observability;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.Events;

/// <summary>Writes domain events into the events table inside the caller's transaction
/// (the transactional outbox of events.md). Being the one place every state change passes, it
/// also feeds the money-flow metrics (after commit) and the trace links of the resource.</summary>
public sealed class Outbox(Db db, RequestContext request, EventSequencer sequencer, TimeProvider clock)
{
    // The event and its users' index rows go in one command. On SQLite the event takes its place
    // in the delivery order in the same INSERT: the one writer already orders commits, and a
    // rolled-back member takes its number away with it, so the numbers stay gapless. On
    // PostgreSQL the sequencer numbers events after commit (commit order is not insert order).
    private const string Columns = "id, type, occurred_at, resource_type, resource_id, user_ids, data, request_id, idempotency_key, trace_parent";
    private const string Values = "@id, @type, @occurredAt, @resourceType, @resourceId, @userIds, @data, @requestId, @idempotencyKey, @traceParent";

    private const string InsertSqlite = $"""
        INSERT INTO events ({Columns}, seq) VALUES ({Values}, (SELECT COALESCE(MAX(seq), 0) + 1 FROM events));
        INSERT INTO event_users (user_id, event_id) SELECT value, @id FROM json_each(@userIds);
        """;

    private const string InsertPostgres = $"""
        INSERT INTO events ({Columns}) VALUES ({Values});
        INSERT INTO event_users (user_id, event_id) SELECT jsonb_array_elements_text(CAST(@userIds AS jsonb)), @id;
        """;

    public async Task<string> PublishAsync(string type, string resourceType, string resourceId, IReadOnlyCollection<string> userIds, object data, CancellationToken ct)
    {
        var id = Ids.New("evt");
        var distinctUsers = userIds.Distinct().ToList();
        var json = ApiJson.Serialize(data);
        await TraceLinks.OnEventAsync(db, resourceType, resourceId, json, ct);
        var sqlite = db.Dialect == SqlDialect.Sqlite;
        await db.ExecuteAsync(sqlite ? InsertSqlite : InsertPostgres, new
        {
            id,
            type,
            occurredAt = clock.NowMs(),
            resourceType,
            resourceId,
            userIds = ApiJson.Serialize(distinctUsers),
            data = json,
            requestId = request.RequestId,
            idempotencyKey = request.IdempotencyKey,
            traceParent = TraceLinks.Current(),
        }, ct);
        if (sqlite)
        {
            await sequencer.QueueDeliveriesInlineAsync(db, id, type, ct);
        }
        else
        {
            db.AfterCommit(sequencer.Wake);
        }

        if (ProductMetrics.IsMoneyEvent(type))
        {
            db.AfterCommit(() => ProductMetrics.MoneyEvent(type, json));
        }

        return id;
    }
}
