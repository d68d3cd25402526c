using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.StateMachines;

namespace OfferHub.Lite.Features.Disputes.AssignDispute;

public static class AssignDispute
{
    public sealed record Body(string? AgentId);

    public sealed record Command(string DisputeId, string? AgentId) : ICommand<DisputeResponse>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => "DISPUTE_ASSIGN";

        string IAuditedCommand.AuditResourceType => "dispute";

        string? IAuditedCommand.AuditResourceId => DisputeId;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.AgentId).NotEmpty().MustBePlainText(100);
    }

    public sealed class Handler(Db db, StateChanges states, Outbox outbox, TimeProvider clock) : ICommandHandler<Command, DisputeResponse>
    {
        private const string AssignSql = "UPDATE disputes SET assigned_to = @agentId, updated_at = @now WHERE id = @id";
        private const string UsersSql = "SELECT buyer_id, seller_id FROM orders WHERE id = @id";

        public async ValueTask<DisputeResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var dispute = await DisputeStore.LockAsync(db, command.DisputeId, cancellationToken);
            if (dispute.AssignedTo == command.AgentId && dispute.Status == DisputeStates.UnderReview)
            {
                return await DisputeStore.ResponseAsync(db, dispute, cancellationToken);
            }

            await states.MoveAsync(DisputeStates.Machine, DisputeStates.Table, dispute.Id, dispute.Status, "assign", null, cancellationToken);
            await db.ExecuteAsync(AssignSql, new { id = dispute.Id, agentId = command.AgentId, now = clock.NowMs() }, cancellationToken);
            var parties = await db.QuerySingleAsync<(string BuyerId, string SellerId)>(UsersSql, new { id = dispute.OrderId }, cancellationToken);
            await outbox.PublishAsync("dispute.under_review", "dispute", dispute.Id, [parties.BuyerId, parties.SellerId],
                new { dispute_id = dispute.Id, order_id = dispute.OrderId, assigned_to = command.AgentId }, cancellationToken);
            return await DisputeStore.ResponseAsync(db, await DisputeStore.GetAsync(db, dispute.Id, cancellationToken), cancellationToken);
        }
    }
}
