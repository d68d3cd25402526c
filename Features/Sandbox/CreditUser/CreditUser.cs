using FluentValidation;
using Mediator;
using OfferHub.Lite.Features.Users;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Ledger;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Sandbox.CreditUser;

/// <summary>Sandbox money: credits a user the way a succeeded top-up does (airtm:payins to
/// available), through the same ledger API. Mapped only when OfferHub:SandboxCredits is on,
/// which production refuses at start.</summary>
public static class CreditUser
{
    public sealed record Command(string? UserId, AmountText? Amount) : ICommand<Result>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => "SANDBOX_CREDIT";

        string IAuditedCommand.AuditResourceType => "user";

        string? IAuditedCommand.AuditResourceId => UserId;
    }

    public sealed record Result(string Id, string UserId, string Amount, string Available);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.UserId).NotEmpty().MustBePlainText(40);
            RuleFor(c => c.Amount).NotNull().MustBeAmount();
        }
    }

    public sealed class Handler(Db db, Ledger ledger) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            await UserStore.RequireAsync(db, command.UserId!, cancellationToken);
            var id = Ids.New("crd");
            var amount = command.Amount!.Value.Cents;
            await ledger.PostAsync(new Transfer(Accounts.AirtmPayins, Accounts.Available(command.UserId!), amount, "sandbox_credit", "sandbox_credit", id, "credit"), cancellationToken);
            var balance = await ledger.BalanceAsync(command.UserId!, cancellationToken);
            return new Result(id, command.UserId!, Amount.Format(amount), Amount.Format(balance.Available));
        }
    }
}
