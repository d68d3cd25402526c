using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Providers.Airtm;

namespace OfferHub.Lite.Features.Withdrawals.RefreshWithdrawal;

/// <summary>Reads the payout at Airtm (by id, or by our code when the create response was lost) and applies it.</summary>
public static class RefreshWithdrawal
{
    public sealed record Command(string Id) : ICommand<WithdrawalResponse>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "WITHDRAWAL_REFRESH";

        string IAuditedCommand.AuditResourceType => "withdrawal";

        string? IAuditedCommand.AuditResourceId => Id;
    }

    public sealed class Handler(Db db, AirtmClient airtm, WithdrawalProgress progress) : ICommandHandler<Command, WithdrawalResponse>
    {
        public async ValueTask<WithdrawalResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var withdrawal = await WithdrawalStore.GetAsync(db, command.Id, cancellationToken);
            if (WithdrawalStates.IsTerminal(withdrawal.Status))
            {
                return withdrawal.ToResponse();
            }

            var payout = withdrawal.AirtmPayoutId is { } payoutId
                ? await airtm.GetPayoutAsync(payoutId, cancellationToken)
                : await airtm.FindPayoutByCodeAsync(withdrawal.Id, cancellationToken);
            if (payout is null)
            {
                return withdrawal.ToResponse();
            }

            withdrawal = await WithdrawalStore.LockAsync(db, withdrawal.Id, cancellationToken);
            return (await progress.ApplyAsync(withdrawal, payout, cancellationToken)).ToResponse();
        }
    }
}
