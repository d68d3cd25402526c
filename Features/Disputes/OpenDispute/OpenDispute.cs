using System.Text.Json;
using FluentValidation;
using Mediator;
using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.StateMachines;

namespace OfferHub.Lite.Features.Disputes.OpenDispute;

/// <summary>Opens the order's dispute: the order moves to DISPUTED at once (freezing release and
/// refund) and the contract is flagged as disputed at Trustless Work. A second identical request
/// returns the same dispute.</summary>
public static class OpenDispute
{
    public sealed record Body(string? OpenedBy, string? Reason, string? Message, IReadOnlyList<string>? Evidence);

    public sealed record Command(string OrderId, string? OpenedBy, string? Reason, string? Message, IReadOnlyList<string>? Evidence)
        : ICommand<Result>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "DISPUTE_OPEN";

        string IAuditedCommand.AuditResourceType => "order";

        string? IAuditedCommand.AuditResourceId => OrderId;
    }

    public sealed record Result(string DisputeId, string OrderId, string Status);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.OpenedBy).NotEmpty().MustBeOneOf("buyer", "seller");
            RuleFor(c => c.Reason).NotEmpty().MustBePlainText(500);
            RuleFor(c => c.Message).MaximumLength(4000);
            RuleFor(c => c.Evidence).Must(e => e is null || e.Count <= 20).WithMessage("must list at most 20 URLs");
            RuleForEach(c => c.Evidence).Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && u.Length <= 2048)
                .WithMessage("must be an http(s) URL");
        }
    }

    public sealed class Handler(Db db, EscrowOperationRunner operations, OrderTransitions transitions, StateChanges states, Outbox outbox, OfferHubOptions options, TimeProvider clock)
        : ICommandHandler<Command, Result>
    {
        private const string InsertSql = """
            INSERT INTO disputes (id, order_id, status, opened_by, reason, message, evidence, created_at, updated_at)
            VALUES (@id, @orderId, 'OPEN', @openedBy, @reason, @message, @evidence, @now, @now)
            """;

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            if (!options.Features.DisputesEnabled)
            {
                throw ApiErrors.Disabled("disputes");
            }

            var order = await OrderStore.LockAsync(db, command.OrderId, cancellationToken);
            if (await DisputeStore.FindByOrderAsync(db, order.Id, cancellationToken) is { } existing)
            {
                if (existing.OpenedBy != command.OpenedBy || existing.Reason != command.Reason)
                {
                    throw new ApiException(409, ApiErrors.DisputeAlreadyOpen, "The order already has a dispute",
                        new Dictionary<string, object?> { ["dispute_id"] = existing.Id, ["order_id"] = order.Id });
                }
            }

            var escrow = await EscrowStore.GetByOrderAsync(db, order.Id, cancellationToken);
            var milestones = await OrderStore.MilestonesAsync(db, [order.Id], cancellationToken);
            await operations.StartOrResumeAsync(order.Id, $"{order.Id}:dispute", EscrowIntents.OpenDispute, async () =>
            {
                await transitions.ApplyAsync(order, "open_dispute", command.Reason, cancellationToken);
                await states.MoveEscrowAsync(escrow, "dispute", cancellationToken);
                var id = Ids.New("dsp");
                await db.ExecuteAsync(InsertSql, new
                {
                    id,
                    orderId = order.Id,
                    openedBy = command.OpenedBy,
                    reason = command.Reason,
                    message = command.Message,
                    evidence = command.Evidence is null ? null : JsonSerializer.Serialize(command.Evidence),
                    now = clock.NowMs(),
                }, cancellationToken);
                await outbox.PublishAsync("dispute.opened", "dispute", id, order.UserIds,
                    new { dispute_id = id, order_id = order.Id, opened_by = command.OpenedBy, reason = command.Reason }, cancellationToken);
                return EscrowPlans.OpenDispute(escrow, milestones);
            }, cancellationToken);

            var dispute = (await DisputeStore.FindByOrderAsync(db, order.Id, cancellationToken))!;
            return new Result(dispute.Id, order.Id, OrderStates.Disputed);
        }
    }
}
