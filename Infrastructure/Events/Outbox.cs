using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Infrastructure.Events;

/// <summary>Writes domain events into the events table inside the caller's transaction
/// (the transactional outbox of events.md).</summary>
public sealed class Outbox(Db db, RequestContext request, EventSequencer sequencer, TimeProvider clock)
{
    private const string InsertEventSql = """
        INSERT INTO events (id, type, occurred_at, resource_type, resource_id, user_ids, data, request_id, idempotency_key)
        VALUES (@id, @type, @occurredAt, @resourceType, @resourceId, @userIds, @data, @requestId, @idempotencyKey)
        """;

    private const string InsertUserSql = "INSERT INTO event_users (user_id, event_id) VALUES (@userId, @eventId)";

    public async Task<string> PublishAsync(string type, string resourceType, string resourceId, IReadOnlyCollection<string> userIds, object data, CancellationToken ct)
    {
        await db.BeginAsync(ct);
        var id = Ids.New("evt");
        var distinctUsers = userIds.Distinct().ToList();
        await db.ExecuteAsync(InsertEventSql, new
        {
            id,
            type,
            occurredAt = clock.NowMs(),
            resourceType,
            resourceId,
            userIds = ApiJson.Serialize(distinctUsers),
            data = ApiJson.Serialize(data),
            requestId = request.RequestId,
            idempotencyKey = request.IdempotencyKey,
        }, ct);
        foreach (var userId in distinctUsers)
        {
            await db.ExecuteAsync(InsertUserSql, new { userId, eventId = id }, ct);
        }

        db.AfterCommit(sequencer.Wake);

        return id;
    }
}
