using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Features.Escrow;

/// <summary>What a release and a refund share. Money out of an escrow: FULL for everything it holds
/// (the order moves to the requested state at once), PARTIAL for one milestone of a multi-release
/// escrow (the order stays in progress). Money reaches the party only when Trustless Work confirms.</summary>
public static class EscrowPayout
{
    /// <summary>The order, locked, with its escrow and milestones: what a payout is decided on.</summary>
    public static async Task<(OrderRow Order, EscrowRow Escrow, IReadOnlyList<MilestoneRow> Milestones)> LockAsync(Db db, string orderId, CancellationToken ct)
    {
        var order = await OrderStore.LockAsync(db, orderId, ct);
        return (order, await EscrowStore.GetByOrderAsync(db, order.Id, ct), await OrderStore.MilestonesAsync(db, [order.Id], ct));
    }

    /// <summary>Starts (or resumes) the operation that pays out one milestone. The order changes
    /// nothing now, but must be able to take the confirmation that keeps it in progress.</summary>
    public static Task<EscrowOperationRow> StartMilestoneAsync(EscrowOperationRunner operations, OrderRow order, string operationKey, string intent,
        IReadOnlyList<EscrowStep> steps, CancellationToken ct) =>
        operations.StartOrResumeAsync(order.Id, operationKey, intent, () =>
        {
            OrderStates.Machine.Next(order.Id, order.Status, "partial_confirmed");
            return Task.FromResult(steps);
        }, ct);
}
