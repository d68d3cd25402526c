using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Ledger;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.Providers.TrustlessWork;
using OfferHub.Lite.Infrastructure.StateMachines;
using Cents = OfferHub.Lite.Infrastructure.Money.Amount;

namespace OfferHub.Lite.Features.Escrow;

/// <summary>What a confirmed step changes in our books, in the confirmation's transaction: money
/// out of (or into) the escrow in the ledger, milestone statuses, and once the whole operation is
/// done, the escrow's and the order's states. Money moves only here.</summary>
public sealed class EscrowEffects(Db db, StateChanges states, OrderTransitions orders, Outbox outbox, Ledger ledger, OfferHubOptions options, TimeProvider clock)
{
    private const string FundedSql = "UPDATE escrows SET funded_amount = @amount, updated_at = @now WHERE id = @id";
    private const string PaidOutSql = """
        UPDATE escrows SET released_amount = released_amount + @toSeller, refunded_amount = refunded_amount + @toBuyer, updated_at = @now WHERE id = @id
        """;

    private const string OrderPaidOutSql = """
        UPDATE orders SET released_amount = released_amount + @toSeller, refunded_amount = refunded_amount + @toBuyer, updated_at = @now WHERE id = @id
        """;

    private const string DecisionSql = "SELECT decision FROM disputes WHERE order_id = @orderId";

    /// <summary>What a confirmed step changes: milestone statuses, and money out of the escrow.</summary>
    public async Task ApplyStepAsync(OrderRow order, EscrowRow escrow, EscrowStep step, CancellationToken ct)
    {
        var milestone = step.Milestone is { } index ? (await OrderStore.MilestonesAsync(db, [order.Id], ct)).SingleOrDefault(m => m.Position == index) : null;
        switch (step.Kind)
        {
            case EscrowSteps.Fund:
                // The treasury wallet funded the contract; the buyer's reserved money in the
                // enterprise Airtm account becomes the marketplace's, backing that float.
                await ledger.PostAsync(
                [
                    new Transfer(Accounts.Reserved(order.BuyerId), Accounts.PlatformFunds, escrow.Amount, "escrow_fund", "order", order.Id, "fund:buyer"),
                    new Transfer(Accounts.TreasuryWallet, Accounts.Escrow(order.Id), escrow.Amount, "escrow_fund", "order", order.Id, "fund"),
                ], ct);
                await db.ExecuteAsync(FundedSql, new { id = escrow.Id, amount = escrow.Amount, now = clock.NowMs() }, ct);
                break;
            case EscrowSteps.CompleteMilestone or EscrowSteps.ApproveMilestone when milestone is not null:
                var status = step.Kind == EscrowSteps.CompleteMilestone ? "COMPLETED" : "APPROVED";
                await EscrowStore.SetMilestoneStatusAsync(db, order.Id, milestone.MilestoneRef, status, ct);
                await outbox.PublishAsync("escrow.milestone_completed", "escrow", escrow.Id, order.UserIds,
                    new { escrow_id = escrow.Id, order_id = order.Id, milestone_ref = milestone.MilestoneRef, status }, ct);
                break;
            case EscrowSteps.Release:
                await PayOutAsync(order, escrow, escrow.Remaining, 0, "release", ct, released: true);
                break;
            case EscrowSteps.ReleaseMilestone:
                await PayOutAsync(order, escrow, milestone!.Amount, 0, "release:" + milestone.MilestoneRef, ct, released: true);
                await EscrowStore.SetMilestoneStatusAsync(db, order.Id, milestone.MilestoneRef, "RELEASED", ct);
                break;
            case EscrowSteps.Resolve or EscrowSteps.ResolveMilestone:
                await PayOutAsync(order, escrow, step.ToSeller, step.ToBuyer, milestone is null ? "resolve" : "resolve:" + milestone.MilestoneRef, ct);
                if (milestone is not null)
                {
                    await EscrowStore.SetMilestoneStatusAsync(db, order.Id, milestone.MilestoneRef, step.ToBuyer == 0 ? "RELEASED" : step.ToSeller == 0 ? "REFUNDED" : "RESOLVED", ct);
                }

                break;
        }
    }

    /// <summary>Money out of the contract, exactly as it pays (docs/money-model.md): to the treasury
    /// wallet, and on a release the protocol and platform fees to their own places; the users'
    /// shares are credited from the marketplace's money in the enterprise Airtm account, which the
    /// treasury's float backs. The seller is credited what the contract paid, net of release fees.</summary>
    private async Task PayOutAsync(OrderRow order, EscrowRow escrow, long toSeller, long toBuyer, string leg, CancellationToken ct, bool released = false)
    {
        var split = released ? ReleaseSplit.Of(toSeller, options.Trustless.ProtocolFeePercent, options.Trustless.PlatformFeePercent) : new ReleaseSplit(toSeller, 0, 0);
        var transfers = new List<Transfer>
        {
            new(Accounts.Escrow(order.Id), Accounts.TreasuryWallet, split.Receiver + toBuyer, "escrow_payout", "order", order.Id, leg + ":treasury"),
            new(Accounts.Escrow(order.Id), Accounts.TrustlessWorkFees, split.ProtocolFee, "escrow_fee", "order", order.Id, leg + ":protocol_fee"),
            new(Accounts.Escrow(order.Id), Accounts.PlatformFees, split.PlatformFee, "escrow_fee", "order", order.Id, leg + ":platform_fee"),
            new(Accounts.PlatformFunds, Accounts.Available(order.SellerId), split.Receiver, "escrow_release", "order", order.Id, leg + ":seller"),
            new(Accounts.PlatformFunds, Accounts.Available(order.BuyerId), toBuyer, "escrow_refund", "order", order.Id, leg + ":buyer"),
        };
        transfers.RemoveAll(t => t.Amount == 0);

        if (await ledger.PostAsync(transfers, ct) == 0)
        {
            return;
        }

        var now = clock.NowMs();
        await db.ExecuteAsync(PaidOutSql, new { id = escrow.Id, toSeller, toBuyer, now }, ct);
        await db.ExecuteAsync(OrderPaidOutSql, new { id = order.Id, toSeller, toBuyer, now }, ct);
        foreach (var (type, amount) in new[] { ("escrow.released", toSeller), ("escrow.refunded", toBuyer) }.Where(x => x.Item2 > 0))
        {
            await outbox.PublishAsync(type, "escrow", escrow.Id, order.UserIds, new { escrow_id = escrow.Id, order_id = order.Id, amount = Cents.Format(amount) }, ct);
        }
    }

    /// <summary>What finishing the whole operation means for the escrow and the order.</summary>
    public async Task FinishAsync(OrderRow order, string intent, CancellationToken ct)
    {
        var escrow = await EscrowStore.GetByOrderAsync(db, order.Id, ct);
        switch (intent)
        {
            case EscrowIntents.Create:
                await states.MoveEscrowAsync(escrow, "deployed", ct);
                await orders.ApplyAsync(order, "escrow_deployed", null, ct);
                await PublishEscrowAsync("escrow.created", escrow, order, ct);
                break;
            case EscrowIntents.Fund:
                await states.MoveEscrowAsync(escrow, "funded", ct);
                order = await orders.ApplyAsync(order, "escrow_funded", null, ct);
                await orders.ApplyAsync(order, "start", null, ct);
                await PublishEscrowAsync("escrow.funded", escrow, order, ct);
                break;
            case EscrowIntents.ReleaseFull:
                await states.MoveEscrowAsync(escrow, "released", ct);
                order = await orders.ApplyAsync(order, "release_confirmed", null, ct);
                await orders.ApplyAsync(order, "close", null, ct, "RELEASED");
                break;
            case EscrowIntents.RefundFull:
                await states.MoveEscrowAsync(escrow, "refunded", ct);
                order = await orders.ApplyAsync(order, "refund_confirmed", null, ct);
                await orders.ApplyAsync(order, "close", null, ct, "REFUNDED");
                break;
            case EscrowIntents.ReleaseMilestone or EscrowIntents.RefundMilestone:
                await FinishPartialAsync(order, escrow, intent == EscrowIntents.ReleaseMilestone, ct);
                break;
            case EscrowIntents.OpenDispute:
                await PublishEscrowAsync("escrow.disputed", escrow, order, ct);
                break;
            case EscrowIntents.ResolveDispute:
                var decision = await db.QuerySingleAsync<string?>(DecisionSql, new { orderId = order.Id }, ct);
                var (escrowAction, orderAction, resolution) = decision switch
                {
                    "FULL_RELEASE" => ("resolved_release", "resolution_release", "RELEASED"),
                    "FULL_REFUND" => ("resolved_refund", "resolution_refund", "REFUNDED"),
                    _ => ("resolved_split", "resolution_split", "SPLIT"),
                };
                await states.MoveEscrowAsync(escrow, escrowAction, ct);
                order = await orders.ApplyAsync(order, orderAction, null, ct, resolution == "SPLIT" ? resolution : null);
                if (order.Status != OrderStates.Closed)
                {
                    await orders.ApplyAsync(order, "close", null, ct, resolution);
                }

                break;
        }
    }

    /// <summary>A milestone paid out: the order goes on while the escrow holds money, and ends like
    /// a FULL release or refund when the escrow is empty.</summary>
    private async Task FinishPartialAsync(OrderRow order, EscrowRow escrow, bool release, CancellationToken ct)
    {
        if (escrow.Remaining > 0)
        {
            await orders.ApplyAsync(order, "partial_confirmed", null, ct);
            return;
        }

        await states.MoveEscrowAsync(escrow, release ? "release" : "refund", ct);
        await states.MoveEscrowAsync(escrow with { Status = release ? EscrowStates.Releasing : EscrowStates.Refunding }, release ? "released" : "refunded", ct);
        order = await orders.ApplyAsync(order, release ? "request_release" : "request_refund", null, ct);
        order = await orders.ApplyAsync(order, release ? "release_confirmed" : "refund_confirmed", null, ct);
        await orders.ApplyAsync(order, "close", null, ct, release ? "RELEASED" : "REFUNDED");
    }

    private Task<string> PublishEscrowAsync(string type, EscrowRow escrow, OrderRow order, CancellationToken ct) =>
        outbox.PublishAsync(type, "escrow", escrow.Id, order.UserIds,
            new { escrow_id = escrow.Id, order_id = order.Id, contract_id = escrow.ContractId, amount = Cents.Format(escrow.Amount) }, ct);
}
