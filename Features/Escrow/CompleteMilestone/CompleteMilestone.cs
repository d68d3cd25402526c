using FluentValidation;
using Mediator;
using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.Escrow.CompleteMilestone;

/// <summary>The seller marks a milestone done (Trustless Work's change-milestone-status, signed
/// by the service provider); the buyer approves it (approve-milestone, signed by the approver).</summary>
public static class CompleteMilestone
{
    public sealed record Body(string? CompletedBy, string? Note);

    public sealed record Command(string OrderId, string MilestoneRef, string? CompletedBy, string? Note) : ICommand<Result>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "MILESTONE_COMPLETE";

        string IAuditedCommand.AuditResourceType => "order";

        string? IAuditedCommand.AuditResourceId => OrderId;
    }

    public sealed record Result(string OrderId, string MilestoneRef, string Status, SignatureResponse? PendingSignature);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.CompletedBy).NotEmpty().MustBeOneOf("buyer", "seller");
            RuleFor(c => c.Note).MustBePlainText(1000);
        }
    }

    public sealed class Handler(Db db, EscrowOperationRunner operations) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var order = await OrderStore.LockAsync(db, command.OrderId, cancellationToken);
            var milestone = EscrowPlans.Milestone(await OrderStore.MilestonesAsync(db, [order.Id], cancellationToken), order.Id, command.MilestoneRef);
            var seller = command.CompletedBy == "seller";
            await operations.StartOrResumeAsync(order.Id, $"{order.Id}:milestone:{milestone.MilestoneRef}:{command.CompletedBy}", EscrowIntents.CompleteMilestone, () =>
            {
                OrderStates.Machine.Next(order.Id, order.Status, "partial_confirmed");
                MilestoneMachine.Next(milestone.MilestoneRef, milestone.Status, seller ? "complete" : "approve");
                return Task.FromResult<IReadOnlyList<EscrowStep>>([new EscrowStep(seller ? EscrowSteps.CompleteMilestone : EscrowSteps.ApproveMilestone, (int)milestone.Position, Evidence: seller ? command.Note : null)]);
            }, cancellationToken);

            var current = EscrowPlans.Milestone(await OrderStore.MilestonesAsync(db, [order.Id], cancellationToken), order.Id, command.MilestoneRef);
            return new Result(order.Id, current.MilestoneRef, current.Status, (await EscrowStore.PendingSignatureAsync(db, order.Id, cancellationToken))?.ToResponse());
        }
    }

    /// <summary>Milestones of states.md: OPEN → COMPLETED → APPROVED → RELEASED (or REFUNDED).</summary>
    public static readonly Infrastructure.StateMachines.StateMachine MilestoneMachine = new("milestone",
    [
        new("OPEN", "complete", "COMPLETED"),
        new("COMPLETED", "approve", "APPROVED"),
        new("APPROVED", "release", "RELEASED"),
    ]);
}
