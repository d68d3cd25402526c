using FluentValidation;
using Mediator;
using OfferHub.Lite.Features.Users;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Ledger;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.Orders.ReserveFunds;

public static class ReserveFunds
{
    public sealed record Body(AmountText? Amount);

    public sealed record Command(string OrderId, AmountText? Amount) : ICommand<Result>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => "ORDER_RESERVE";

        string IAuditedCommand.AuditResourceType => "order";

        string? IAuditedCommand.AuditResourceId => OrderId;
    }

    public sealed record Result(string OrderId, string Status, string ReservedAmount, BalanceSnapshot BalanceSnapshot);

    public sealed record BalanceSnapshot(string Available, string Reserved);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Amount).NotNull().MustBeAmount();
    }

    public sealed class Handler(Db db, Ledger ledger, OrderTransitions transitions) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var order = await OrderStore.LockAsync(db, command.OrderId, cancellationToken);
            var amount = command.Amount!.Value.Cents;
            if (amount != order.Amount)
            {
                throw new ApiException(422, ApiErrors.ReserveMismatchAmount, "The reserve amount must equal the order amount",
                    new Dictionary<string, object?> { ["order_amount"] = Amount.Format(order.Amount), ["requested"] = Amount.Format(amount) });
            }

            // Reserving a reserved order is answered with its current state and moves nothing.
            if (order.Status != OrderStates.FundsReserved)
            {
                UserStore.RequireActive(await UserStore.GetAsync(db, order.BuyerId, cancellationToken), "buyer");

                order = await transitions.ApplyAsync(order, "reserve", null, cancellationToken);
                await ledger.PostAsync(new Transfer(Accounts.Available(order.BuyerId), Accounts.Reserved(order.BuyerId), order.Amount,
                    "order_reserve", "order", order.Id, "reserve"), cancellationToken);
            }

            var balance = await ledger.BalanceAsync(order.BuyerId, cancellationToken);
            return new Result(order.Id, order.Status, Amount.Format(order.Amount), new BalanceSnapshot(Amount.Format(balance.Available), Amount.Format(balance.Reserved)));
        }
    }
}
