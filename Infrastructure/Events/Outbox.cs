using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Observability;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.Events;

/// <summary>Writes domain events into the events table inside the caller's transaction
/// (the transactional outbox of events.md). Being the one place every state change passes, it
/// also feeds the money-flow metrics (after commit) and the trace links of the resource.</summary>
public sealed class Outbox(Db db, RequestContext request, EventSequencer sequencer, TimeProvider clock)
{
    private const string InsertEventSql = """
        INSERT INTO events (id, type, occurred_at, resource_type, resource_id, user_ids, data, request_id, idempotency_key, trace_parent)
        VALUES (@id, @type, @occurredAt, @resourceType, @resourceId, @userIds, @data, @requestId, @idempotencyKey, @traceParent)
        """;

    private const string InsertUserSql = "INSERT INTO event_users (user_id, event_id) VALUES (@userId, @eventId)";

    public async Task<string> PublishAsync(string type, string resourceType, string resourceId, IReadOnlyCollection<string> userIds, object data, CancellationToken ct)
    {
        var id = Ids.New("evt");
        var distinctUsers = userIds.Distinct().ToList();
        var json = ApiJson.Serialize(data);
        await TraceLinks.OnEventAsync(db, resourceType, resourceId, json, ct);
        await db.ExecuteAsync(InsertEventSql, new
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
        foreach (var userId in distinctUsers)
        {
            await db.ExecuteAsync(InsertUserSql, new { userId, eventId = id }, ct);
        }

        if (db.Dialect == SqlDialect.Sqlite)
        {
            await sequencer.SequenceInlineAsync(db, id, type, ct);
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
