using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Money;

namespace OfferHub.Lite.Features.Escrow;

/// <summary>The provider steps each escrow action takes. Single-release contracts move money once
/// for the whole order (a release needs the approver's approval first, and an approval needs a
/// milestone status set by the service provider; a refund is a dispute resolved wholly back).
/// Multi-release contracts do it milestone by milestone.</summary>
public static class EscrowPlans
{
    public static bool IsOpen(MilestoneRow milestone) => milestone.Status is not ("RELEASED" or "REFUNDED" or "RESOLVED");

    public static IReadOnlyList<EscrowStep> ReleaseAll(EscrowRow escrow, IReadOnlyList<MilestoneRow> milestones) =>
        escrow.Multi
            ? [.. milestones.Where(IsOpen).SelectMany(ReleaseOne)]
            : [new EscrowStep(EscrowSteps.CompleteMilestone), new EscrowStep(EscrowSteps.ApproveMilestone), new EscrowStep(EscrowSteps.Release)];

    public static IReadOnlyList<EscrowStep> ReleaseOne(MilestoneRow milestone)
    {
        var index = (int)milestone.Position;
        return milestone.Status switch
        {
            "APPROVED" => [new EscrowStep(EscrowSteps.ReleaseMilestone, index)],
            "COMPLETED" => [new EscrowStep(EscrowSteps.ApproveMilestone, index), new EscrowStep(EscrowSteps.ReleaseMilestone, index)],
            _ => [new EscrowStep(EscrowSteps.CompleteMilestone, index), new EscrowStep(EscrowSteps.ApproveMilestone, index), new EscrowStep(EscrowSteps.ReleaseMilestone, index)],
        };
    }

    public static IReadOnlyList<EscrowStep> RefundAll(EscrowRow escrow, IReadOnlyList<MilestoneRow> milestones) =>
        escrow.Multi
            ? [.. milestones.Where(IsOpen).SelectMany(RefundOne)]
            : [new EscrowStep(EscrowSteps.Dispute), new EscrowStep(EscrowSteps.Resolve, ToBuyer: escrow.Remaining)];

    public static IReadOnlyList<EscrowStep> RefundOne(MilestoneRow milestone) =>
        [new EscrowStep(EscrowSteps.DisputeMilestone, (int)milestone.Position), new EscrowStep(EscrowSteps.ResolveMilestone, (int)milestone.Position, ToBuyer: milestone.Amount)];

    public static IReadOnlyList<EscrowStep> OpenDispute(EscrowRow escrow, IReadOnlyList<MilestoneRow> milestones) =>
        escrow.Multi
            ? [.. milestones.Where(IsOpen).Select(m => new EscrowStep(EscrowSteps.DisputeMilestone, (int)m.Position))]
            : [new EscrowStep(EscrowSteps.Dispute)];

    /// <summary>A resolution: one distribution for a single-release contract; for a multi-release
    /// one, the seller's share is taken from the open milestones in order, the rest goes back.</summary>
    public static IReadOnlyList<EscrowStep> Resolve(EscrowRow escrow, IReadOnlyList<MilestoneRow> milestones, long toSeller, long toBuyer)
    {
        if (!escrow.Multi)
        {
            return [new EscrowStep(EscrowSteps.Resolve, ToSeller: toSeller, ToBuyer: toBuyer)];
        }

        var steps = new List<EscrowStep>();
        var sellerLeft = toSeller;
        foreach (var milestone in milestones.Where(IsOpen))
        {
            var seller = Math.Min(sellerLeft, milestone.Amount);
            sellerLeft -= seller;
            steps.Add(new EscrowStep(EscrowSteps.ResolveMilestone, (int)milestone.Position, seller, milestone.Amount - seller));
        }

        return steps;
    }

    public static MilestoneRow Milestone(IReadOnlyList<MilestoneRow> milestones, string orderId, string milestoneRef) =>
        milestones.FirstOrDefault(m => m.MilestoneRef == milestoneRef)
        ?? throw new ApiException(404, ApiErrors.NotFoundCode, $"Order {orderId} has no milestone {milestoneRef}",
            new Dictionary<string, object?> { ["order_id"] = orderId, ["milestone_ref"] = milestoneRef });

    /// <summary>The milestone a PARTIAL action moves, checked against the escrow.</summary>
    public static MilestoneRow PartialMilestone(OrderRow order, EscrowRow escrow, IReadOnlyList<MilestoneRow> milestones, string milestoneRef, AmountText? amount, bool allowed)
    {
        if (!escrow.Multi || !allowed)
        {
            throw new ApiException(409, ApiErrors.EscrowNotReady, "This escrow does not allow partial releases or refunds",
                new Dictionary<string, object?> { ["order_id"] = order.Id, ["escrow_type"] = escrow.Multi ? "multi-release" : "single-release" });
        }

        var milestone = EscrowPlans.Milestone(milestones, order.Id, milestoneRef);
        if (amount is { } given && given.Cents != milestone.Amount)
        {
            throw ApiErrors.Validation(("amount", $"must equal the milestone amount {Amount.Format(milestone.Amount)}"));
        }

        return milestone;
    }
}
