using FluentValidation;
using Mediator;
using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.StateMachines;

namespace OfferHub.Lite.Features.Escrow.RefundFunds;

/// <summary>Refunds the escrow to the buyer: FULL for everything it holds, PARTIAL for one milestone
/// of a multi-release escrow. At Trustless Work a refund is a dispute resolved wholly to the
/// approver; the buyer is credited only when it is confirmed.</summary>
public static class RefundFunds
{
    public sealed record Command(string OrderId, string? Mode, AmountText? Amount, string? MilestoneRef, string? Reason) : ICommand<Result>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "ORDER_REFUND";

        string IAuditedCommand.AuditResourceType => "order";

        string? IAuditedCommand.AuditResourceId => OrderId;
    }

    public sealed record Body(string? Mode, AmountText? Amount, string? MilestoneRef, string? Reason);

    public sealed record Result(string OrderId, string Status, string RefundedAmount);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => new EscrowActionRules<Command>(c => c.Mode, c => c.Amount, c => c.MilestoneRef, c => c.Reason, "refund").Apply(this);
    }

    public sealed class Handler(Db db, EscrowOperationRunner operations, OrderTransitions transitions, StateChanges states) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var (order, escrow, milestones) = await EscrowPayout.LockAsync(db, command.OrderId, cancellationToken);
            if (command.Mode == "FULL")
            {
                await operations.StartOrResumeAsync(order.Id, $"{order.Id}:refund", EscrowIntents.RefundFull, async () =>
                {
                    await transitions.ApplyAsync(order, "request_refund", command.Reason, cancellationToken);
                    await states.MoveEscrowAsync(escrow, "refund", cancellationToken);
                    return EscrowPlans.RefundAll(escrow, milestones);
                }, cancellationToken);
            }
            else
            {
                var milestone = EscrowPlans.PartialMilestone(order, escrow, milestones, command.MilestoneRef!, command.Amount, escrow.AllowPartialRefund == 1);
                await EscrowPayout.StartMilestoneAsync(operations, order, $"{order.Id}:refund:{milestone.MilestoneRef}", EscrowIntents.RefundMilestone,
                    EscrowPlans.RefundOne(milestone), cancellationToken);
            }

            order = await OrderStore.GetAsync(db, order.Id, cancellationToken);
            return new Result(order.Id, order.Status, Amount.Format(order.RefundedAmount));
        }
    }
}
