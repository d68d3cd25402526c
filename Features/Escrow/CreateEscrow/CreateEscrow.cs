using Mediator;
using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Escrow.CreateEscrow;

/// <summary>Deploys the order's escrow contract at Trustless Work: single-release for an order
/// without milestones, multi-release otherwise. Creating it twice returns the same escrow.</summary>
public static class CreateEscrow
{
    public sealed record Terms(bool? AllowPartialRelease, bool? AllowPartialRefund);

    public sealed record Body(Terms? Terms);

    public sealed record Command(string OrderId, Terms? Terms) : ICommand<Result>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "ESCROW_CREATE";

        string IAuditedCommand.AuditResourceType => "order";

        string? IAuditedCommand.AuditResourceId => OrderId;
    }

    public sealed record Result(string OrderId, string Status, string EscrowId, EscrowResponse Escrow);

    public sealed class Handler(Db db, EscrowOperationRunner operations, OrderTransitions transitions, TimeProvider clock) : ICommandHandler<Command, Result>
    {
        private const string InsertSql = """
            INSERT INTO escrows (id, order_id, contract_id, multi_release, status, amount, funded_amount, released_amount, refunded_amount,
                                 allow_partial_release, allow_partial_refund, created_at, updated_at)
            VALUES (@id, @orderId, NULL, @multi, 'CREATING', @amount, 0, 0, 0, @partialRelease, @partialRefund, @now, @now)
            """;

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var order = await OrderStore.LockAsync(db, command.OrderId, cancellationToken);
            await operations.StartOrResumeAsync(order.Id, $"{order.Id}:create_escrow", EscrowIntents.Create, async () =>
            {
                order = await transitions.ApplyAsync(order, "create_escrow", null, cancellationToken);
                var milestones = await OrderStore.MilestonesAsync(db, [order.Id], cancellationToken);
                await db.ExecuteAsync(InsertSql, new
                {
                    id = Ids.New("esc"),
                    orderId = order.Id,
                    multi = milestones.Count > 0 ? 1 : 0,
                    amount = order.Amount,
                    partialRelease = command.Terms?.AllowPartialRelease == false ? 0 : 1,
                    partialRefund = command.Terms?.AllowPartialRefund == false ? 0 : 1,
                    now = clock.NowMs(),
                }, cancellationToken);
                return [new EscrowStep(EscrowSteps.Deploy)];
            }, cancellationToken);

            var escrow = await EscrowStore.GetByOrderAsync(db, order.Id, cancellationToken);
            var current = await OrderStore.GetAsync(db, order.Id, cancellationToken);
            return new Result(current.Id, current.Status, escrow.Id, await EscrowStore.ResponseAsync(db, escrow, cancellationToken));
        }
    }
}
