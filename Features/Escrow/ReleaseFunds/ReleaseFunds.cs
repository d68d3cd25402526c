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
    public sealed record Command(string OrderId, string? Mode, AmountText? Amount, string? MilestoneRef, string? Reason) : ICommand<Result>, IAuditedCommand, ICallsOut
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
            var order = await EscrowPayout.RunAsync(db, engine, transitions, EscrowPayoutKind.Release, command.OrderId, command.Mode, command.Amount,
                command.MilestoneRef, command.Reason, cancellationToken);
            return new Result(order.Id, order.Status, Amount.Format(order.ReleasedAmount));
        }
    }
}
