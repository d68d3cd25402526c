using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Money;

namespace OfferHub.Lite.Features.Escrow;

/// <summary>What tells a release from a refund; the flow of both is <see cref="EscrowPayout.RunAsync"/>.</summary>
public sealed record EscrowPayoutKind(
    string Name,
    string FullIntent,
    string MilestoneIntent,
    string OrderAction,
    string EscrowAction,
    Func<EscrowRow, IReadOnlyList<MilestoneRow>, IReadOnlyList<EscrowStep>> All,
    Func<MilestoneRow, IReadOnlyList<EscrowStep>> One,
    Func<EscrowRow, bool> PartialAllowed)
{
    public static readonly EscrowPayoutKind Release = new("release", EscrowIntents.ReleaseFull, EscrowIntents.ReleaseMilestone, "request_release", "release",
        EscrowPlans.ReleaseAll, EscrowPlans.ReleaseOne, e => e.AllowPartialRelease == 1);

    public static readonly EscrowPayoutKind Refund = new("refund", EscrowIntents.RefundFull, EscrowIntents.RefundMilestone, "request_refund", "refund",
        EscrowPlans.RefundAll, EscrowPlans.RefundOne, e => e.AllowPartialRefund == 1);
}

/// <summary>Money out of an escrow: FULL for everything it holds (the order moves to the requested
/// state at once), PARTIAL for one milestone of a multi-release escrow (the order stays in
/// progress). Money reaches the party only when Trustless Work confirms.</summary>
public static class EscrowPayout
{
    public static async Task<OrderRow> RunAsync(Db db, EscrowEngine engine, OrderTransitions transitions, EscrowPayoutKind kind,
        string orderId, string? mode, AmountText? amount, string? milestoneRef, string? reason, CancellationToken ct)
    {
        var order = await OrderStore.LockAsync(db, orderId, ct);
        var escrow = await EscrowStore.GetByOrderAsync(db, order.Id, ct);
        var milestones = await OrderStore.MilestonesAsync(db, [order.Id], ct);
        if (mode == "FULL")
        {
            await engine.StartOrResumeAsync(order.Id, $"{order.Id}:{kind.Name}", kind.FullIntent, async () =>
            {
                await transitions.ApplyAsync(order, kind.OrderAction, reason, ct);
                await engine.MoveEscrowAsync(escrow, kind.EscrowAction, ct);
                return kind.All(escrow, milestones);
            }, ct);
        }
        else
        {
            var milestone = EscrowPlans.PartialMilestone(order, escrow, milestones, milestoneRef!, amount, kind.PartialAllowed(escrow));
            await engine.StartOrResumeAsync(order.Id, $"{order.Id}:{kind.Name}:{milestone.MilestoneRef}", kind.MilestoneIntent, () =>
            {
                OrderStates.Machine.Next(order.Id, order.Status, "partial_confirmed");
                return Task.FromResult(kind.One(milestone));
            }, ct);
        }

        return await OrderStore.GetAsync(db, order.Id, ct);
    }
}
