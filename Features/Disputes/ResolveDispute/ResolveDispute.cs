using FluentValidation;
using Mediator;
using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.StateMachines;

namespace OfferHub.Lite.Features.Disputes.ResolveDispute;

/// <summary>Records the decision at once (dispute RESOLVED, final) and has the dispute resolver's
/// distribution executed at Trustless Work; the order moves, and money reaches the parties, when
/// that is confirmed. Resolving again with the same decision returns the same result.</summary>
public static class ResolveDispute
{
    public sealed record Body(string? Decision, AmountText? AmountToSeller, AmountText? AmountToBuyer, string? Note);

    public sealed record Command(string DisputeId, string? Decision, AmountText? AmountToSeller, AmountText? AmountToBuyer, string? Note)
        : ICommand<Resolution>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "DISPUTE_RESOLVE";

        string IAuditedCommand.AuditResourceType => "dispute";

        string? IAuditedCommand.AuditResourceId => DisputeId;
    }

    public sealed record Resolution(string DisputeId, string Status, Outcome Result);

    public sealed record Outcome(string Decision, string AmountToSeller, string AmountToBuyer, string OrderId, string OrderStatus, string? Resolution);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Decision).NotEmpty().MustBeOneOf(DisputeStates.Decisions);
            RuleFor(c => c.AmountToSeller).NotNull().MustBeZeroOrAmount().When(c => c.Decision == "SPLIT");
            RuleFor(c => c.AmountToBuyer).NotNull().MustBeZeroOrAmount().When(c => c.Decision == "SPLIT");
            RuleFor(c => c.Note).MaximumLength(4000);
        }
    }

    public sealed class Handler(Db db, EscrowOperationRunner operations, StateChanges states, Outbox outbox, RequestContext request, TimeProvider clock)
        : ICommandHandler<Command, Resolution>
    {
        private const string ResolveSql = """
            UPDATE disputes SET decision = @decision, amount_to_seller = @toSeller, amount_to_buyer = @toBuyer, resolution_note = @note,
                resolved_by = @resolvedBy, resolved_at = @now, updated_at = @now
            WHERE id = @id
            """;

        public async ValueTask<Resolution> Handle(Command command, CancellationToken cancellationToken)
        {
            var dispute = await DisputeStore.GetAsync(db, command.DisputeId, cancellationToken);
            var order = await OrderStore.LockAsync(db, dispute.OrderId, cancellationToken);
            dispute = await DisputeStore.GetAsync(db, dispute.Id, cancellationToken);
            if (dispute.Status == DisputeStates.Resolved && dispute.Decision != command.Decision)
            {
                throw DisputeStates.Machine.Invalid(dispute.Id, dispute.Status, "resolve");
            }

            var escrow = await EscrowStore.GetByOrderAsync(db, order.Id, cancellationToken);
            var flagged = await operations.FindAsync($"{order.Id}:dispute", cancellationToken);
            if (flagged?.Status != EscrowOperationRunner.Done)
            {
                // The contract must be flagged as disputed at Trustless Work before it can be resolved.
                throw EscrowStore.NotReady(order.Id, escrow.Status);
            }

            var milestones = await OrderStore.MilestonesAsync(db, [order.Id], cancellationToken);
            await operations.StartOrResumeAsync(order.Id, $"{order.Id}:resolve", EscrowIntents.ResolveDispute, async () =>
            {
                var (toSeller, toBuyer) = Split(command, escrow);
                await states.MoveAsync(DisputeStates.Machine, DisputeStates.Table, dispute.Id, dispute.Status, "resolve", command.Note, cancellationToken);
                await db.ExecuteAsync(ResolveSql, new
                {
                    id = dispute.Id,
                    decision = command.Decision,
                    toSeller,
                    toBuyer,
                    note = command.Note,
                    resolvedBy = request.Actor.Id ?? request.Actor.Type,
                    now = clock.NowMs(),
                }, cancellationToken);
                await outbox.PublishAsync("dispute.resolved", "dispute", dispute.Id, order.UserIds, new
                {
                    dispute_id = dispute.Id,
                    decision = command.Decision,
                    amounts = new { to_seller = Amount.Format(toSeller), to_buyer = Amount.Format(toBuyer) },
                }, cancellationToken);
                return EscrowPlans.Resolve(escrow, milestones, toSeller, toBuyer);
            }, cancellationToken);

            dispute = await DisputeStore.GetAsync(db, dispute.Id, cancellationToken);
            var current = await OrderStore.GetAsync(db, order.Id, cancellationToken);
            return new Resolution(dispute.Id, dispute.Status, new Outcome(dispute.Decision!, Amount.Format(dispute.AmountToSeller ?? 0), Amount.Format(dispute.AmountToBuyer ?? 0),
                current.Id, current.Status, current.Resolution));
        }

        /// <summary>Who gets what of the money still in escrow; a SPLIT must add up to it exactly.</summary>
        private static (long ToSeller, long ToBuyer) Split(Command command, EscrowRow escrow)
        {
            var remaining = escrow.Remaining;
            return command.Decision switch
            {
                "FULL_RELEASE" => (remaining, 0),
                "FULL_REFUND" => (0, remaining),
                _ when command.AmountToSeller!.Value.CentsOrZero + command.AmountToBuyer!.Value.CentsOrZero == remaining =>
                    (command.AmountToSeller.Value.CentsOrZero, command.AmountToBuyer.Value.CentsOrZero),
                _ => throw new ApiException(422, ApiErrors.InvalidSplit, "The split must add up to the amount still in escrow", new Dictionary<string, object?>
                {
                    ["in_escrow"] = Amount.Format(remaining),
                    ["amount_to_seller"] = Amount.Format(command.AmountToSeller.Value.CentsOrZero),
                    ["amount_to_buyer"] = Amount.Format(command.AmountToBuyer.Value.CentsOrZero),
                }),
            };
        }
    }
}
