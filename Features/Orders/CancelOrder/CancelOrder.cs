using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Ledger;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.Orders.CancelOrder;

public static class CancelOrder
{
    public const string Resolution = "CANCELED";

    public sealed record Body(string? Reason);

    public sealed record Command(string OrderId, string? Reason) : ICommand<Result>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => "ORDER_CANCEL";

        string IAuditedCommand.AuditResourceType => "order";

        string? IAuditedCommand.AuditResourceId => OrderId;
    }

    public sealed record Result(string OrderId, string Status, string? Resolution);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Reason).MaximumLength(500);
    }

    public sealed class Handler(Db db, Ledger ledger, OrderTransitions transitions, Outbox outbox) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var order = await OrderStore.LockAsync(db, command.OrderId, cancellationToken);

            // Cancelling a cancelled order is answered with its current state.
            if (order is { Status: OrderStates.Closed, Resolution: Resolution })
            {
                return new Result(order.Id, order.Status, order.Resolution);
            }

            var held = order.Status == OrderStates.FundsReserved;
            await outbox.PublishAsync("order.canceled", "order", order.Id, order.UserIds, new { order_id = order.Id, reason = command.Reason }, cancellationToken);
            order = await transitions.ApplyAsync(order, "cancel", command.Reason, cancellationToken, Resolution);
            if (held)
            {
                await ledger.PostAsync(new Transfer(Accounts.Reserved(order.BuyerId), Accounts.Available(order.BuyerId), order.Amount,
                    "order_cancel", "order", order.Id, "cancel_release"), cancellationToken);
            }

            return new Result(order.Id, order.Status, order.Resolution);
        }
    }
}
