using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;

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

    public sealed class Handler(Db db, WithdrawalProgress progress) : ICommandHandler<Command, WithdrawalResponse>
    {
        public async ValueTask<WithdrawalResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var withdrawal = await WithdrawalStore.Rows.GetAsync(db, command.Id, cancellationToken);
            if (withdrawal.Status == WithdrawalStates.Canceled)
            {
                return withdrawal.ToResponse();
            }

            WithdrawalStates.Machine.Next(withdrawal.Id, withdrawal.Status, "cancel");
            // The key's claim is committed before Airtm is called, so that a retry resumes this cancel.
            await db.CheckpointAsync(cancellationToken);
            if (await progress.FindAtAirtmAsync(withdrawal, cancellationToken) is { } payout)
            {
                payout = await progress.CancelOrReadAsync(payout.Id, cancellationToken);
                return (await progress.ApplyCancelAsync(withdrawal, payout, cancellationToken)).ToResponse();
            }

            // Airtm never got the payout: cancelling is ours alone.
            withdrawal = await WithdrawalStore.Rows.LockAsync(db, withdrawal.Id, cancellationToken);
            await progress.MoveAsync(withdrawal, withdrawal.Status, "cancel", null, cancellationToken);
            return (await WithdrawalStore.Rows.GetAsync(db, withdrawal.Id, cancellationToken)).ToResponse();
        }
    }
}
