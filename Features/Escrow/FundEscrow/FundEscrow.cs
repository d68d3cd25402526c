using Mediator;
using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.StateMachines;
using Cents = OfferHub.Lite.Infrastructure.Money.Amount;

namespace OfferHub.Lite.Features.Escrow.FundEscrow;

/// <summary>Funds the deployed contract with the order amount. The buyer's reservation moves into
/// the escrow account only when Trustless Work confirms the funding.</summary>
public static class FundEscrow
{
    public sealed record Command(string OrderId) : ICommand<Result>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "ESCROW_FUND";

        string IAuditedCommand.AuditResourceType => "order";

        string? IAuditedCommand.AuditResourceId => OrderId;
    }

    public sealed record Result(string OrderId, string Status, EscrowResponse Escrow);

    public sealed class Handler(Db db, EscrowOperationRunner operations, StateChanges states, Outbox outbox) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var order = await OrderStore.LockAsync(db, command.OrderId, cancellationToken);
            var escrow = await EscrowStore.GetByOrderAsync(db, order.Id, cancellationToken);
            await operations.StartOrResumeAsync(order.Id, $"{order.Id}:fund", EscrowIntents.Fund, async () =>
            {
                if (order.Status != OrderStates.EscrowFunding || escrow.Status != EscrowStates.Created)
                {
                    throw EscrowStore.NotReady(order.Id, escrow.Status);
                }

                await states.MoveEscrowAsync(escrow, "fund", cancellationToken);
                await outbox.PublishAsync("escrow.funding_started", "escrow", escrow.Id, order.UserIds,
                    new { escrow_id = escrow.Id, order_id = order.Id, amount = Cents.Format(escrow.Amount) }, cancellationToken);
                return [new EscrowStep(EscrowSteps.Fund)];
            }, cancellationToken);

            var current = await OrderStore.GetAsync(db, order.Id, cancellationToken);
            return new Result(current.Id, current.Status, await EscrowStore.ResponseAsync(db, await EscrowStore.GetByOrderAsync(db, order.Id, cancellationToken), cancellationToken));
        }
    }
}
