using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.StateMachines;

namespace OfferHub.Lite.Features.Orders;

/// <summary>Moves an order through <see cref="OrderStates.Machine"/> (the guarded update and its
/// audit row are <see cref="StateChanges"/>'s) and records the move in the same transaction: the
/// history row, and order.state_changed plus the state's own event.</summary>
public sealed class OrderTransitions(Db db, StateChanges states, Outbox outbox, RequestContext request)
{
    private const string HistorySql = """
        INSERT INTO order_history (id, order_id, from_status, to_status, action, actor_type, actor_id, reason, request_id, created_at)
        VALUES (@id, @orderId, @from, @to, @action, @actorType, @actorId, @reason, @requestId, @now)
        """;

    public async Task<OrderRow> ApplyAsync(OrderRow order, string action, string? reason, CancellationToken ct, string? resolution = null)
    {
        var (to, now) = await states.MoveAsync(OrderStates.Machine, "orders", order.Id, order.Status, action,
            next => new { status = next, action, resolution }, new AlsoSet("resolution", resolution), ct);
        await RecordAsync(order.Id, order.Status, to, action, reason, now, ct);
        await outbox.PublishAsync("order.state_changed", "order", order.Id, order.UserIds, new { order_id = order.Id, from = order.Status, to }, ct);
        await outbox.PublishAsync(OrderStates.EventFor(to), "order", order.Id, order.UserIds,
            to == OrderStates.Closed ? new { order_id = order.Id, resolution = resolution ?? order.Resolution } : (object)new { order_id = order.Id, status = to }, ct);
        return order with { Status = to, Resolution = resolution ?? order.Resolution, UpdatedAt = now };
    }

    /// <summary>The first history row, for an order that starts in its initial state.</summary>
    public async Task RecordCreationAsync(OrderRow order, CancellationToken ct) =>
        await RecordAsync(order.Id, null, order.Status, "create", null, order.CreatedAt, ct);

    private Task<int> RecordAsync(string orderId, string? from, string to, string action, string? reason, long now, CancellationToken ct) =>
        db.ExecuteAsync(HistorySql, new
        {
            id = Ids.New("ohs"),
            orderId,
            from,
            to,
            action,
            actorType = request.Actor.Type,
            actorId = request.Actor.Id,
            reason,
            requestId = request.RequestId,
            now,
        }, ct);
}
