using FluentValidation;
using Mediator;
using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.Escrow.ReleaseFunds;

/// <summary>Releases the escrow to the seller: FULL for everything it holds, PARTIAL for one
/// milestone of a multi-release escrow. The seller is credited only when Trustless Work confirms.</summary>
public static class ReleaseFunds
{
    public sealed record Command(string OrderId, string? Mode, AmountText? Amount, string? MilestoneRef, string? Reason) : ICommand<Result>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => "ORDER_RELEASE";

        string IAuditedCommand.AuditResourceType => "order";

        string? IAuditedCommand.AuditResourceId => OrderId;
    }

    public sealed record Body(string? Mode, AmountText? Amount, string? MilestoneRef, string? Reason);

    public sealed record Result(string OrderId, string Status, string ReleasedAmount);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => new EscrowActionRules<Command>(c => c.Mode, c => c.Amount, c => c.MilestoneRef, c => c.Reason, "release").Apply(this);
    }

    public sealed class Handler(Db db, EscrowEngine engine, OrderTransitions transitions) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var order = await OrderStore.LockAsync(db, command.OrderId, cancellationToken);
            var escrow = await EscrowStore.GetByOrderAsync(db, order.Id, cancellationToken);
            var milestones = await OrderStore.MilestonesAsync(db, [order.Id], cancellationToken);
            if (command.Mode == "FULL")
            {
                await engine.StartOrResumeAsync(order.Id, $"{order.Id}:release", EscrowIntents.ReleaseFull, async () =>
                {
                    await transitions.ApplyAsync(order, "request_release", command.Reason, cancellationToken);
                    await engine.MoveEscrowAsync(escrow, "release", cancellationToken);
                    return EscrowPlans.ReleaseAll(escrow, milestones);
                }, cancellationToken);
            }
            else
            {
                var milestone = EscrowPlans.PartialMilestone(order, escrow, milestones, command.MilestoneRef!, command.Amount, escrow.AllowPartialRelease == 1);
                await engine.StartOrResumeAsync(order.Id, $"{order.Id}:release:{milestone.MilestoneRef}", EscrowIntents.ReleaseMilestone, () =>
                {
                    OrderStates.Machine.Next(order.Id, order.Status, "partial_confirmed");
                    return Task.FromResult(EscrowPlans.ReleaseOne(milestone));
                }, cancellationToken);
            }

            var current = await OrderStore.GetAsync(db, order.Id, cancellationToken);
            return new Result(current.Id, current.Status, Amount.Format(current.ReleasedAmount));
        }
    }
}
