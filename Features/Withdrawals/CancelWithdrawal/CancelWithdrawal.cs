using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Providers;
using OfferHub.Lite.Infrastructure.Providers.Airtm;

namespace OfferHub.Lite.Features.Withdrawals.CancelWithdrawal;

/// <summary>Cancels a withdrawal before its commit: the payout is cancelled at Airtm (if Airtm ever
/// got it) and the money returns to available.</summary>
public static class CancelWithdrawal
{
    public sealed record Command(string Id) : ICommand<WithdrawalResponse>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "WITHDRAWAL_CANCEL";

        string IAuditedCommand.AuditResourceType => "withdrawal";

        string? IAuditedCommand.AuditResourceId => Id;
    }

    public sealed class Handler(Db db, AirtmClient airtm, WithdrawalProgress progress) : ICommandHandler<Command, WithdrawalResponse>
    {
        public async ValueTask<WithdrawalResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var withdrawal = await WithdrawalStore.GetAsync(db, command.Id, cancellationToken);
            if (withdrawal.Status == WithdrawalStates.Canceled)
            {
                return withdrawal.ToResponse();
            }

            WithdrawalStates.Machine.Next(withdrawal.Id, withdrawal.Status, "cancel");
            // The key's claim is committed before Airtm is called, so that a retry resumes this cancel.
            await db.CheckpointAsync(cancellationToken);
            var payout = withdrawal.AirtmPayoutId is { } id ? await airtm.GetPayoutAsync(id, cancellationToken) : await airtm.FindPayoutByCodeAsync(withdrawal.Id, cancellationToken);
            if (payout is not null)
            {
                try
                {
                    payout = await airtm.CancelPayoutAsync(payout.Id, cancellationToken);
                }
                catch (ProviderException refused) when (!refused.Transient)
                {
                    payout = await airtm.GetPayoutAsync(payout.Id, cancellationToken) ?? throw ProviderException.InvalidResponse(AirtmClient.Provider, "the payout disappeared");
                }
            }

            withdrawal = await WithdrawalStore.LockAsync(db, withdrawal.Id, cancellationToken);
            if (payout is null)
            {
                // Airtm never got the payout: cancelling is ours alone.
                await progress.MoveAsync(withdrawal, withdrawal.Status, "cancel", null, cancellationToken);
                return (await WithdrawalStore.GetAsync(db, withdrawal.Id, cancellationToken)).ToResponse();
            }

            withdrawal = await progress.ApplyAsync(withdrawal, payout, cancellationToken);
            if (withdrawal.Status != WithdrawalStates.Canceled)
            {
                await db.CheckpointAsync(cancellationToken);
                throw WithdrawalStates.Machine.Invalid(withdrawal.Id, withdrawal.Status, "cancel");
            }

            return withdrawal.ToResponse();
        }
    }
}
