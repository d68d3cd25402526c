using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.Providers.Airtm;
using OfferHub.Lite.Infrastructure.Providers;

namespace OfferHub.Lite.Features.Withdrawals.CommitWithdrawal;

/// <summary>Commits the payout at Airtm, then applies the payout as Airtm holds it. The retry of a
/// commit interrupted by a timeout or a crash answers the withdrawal once the commit took (by
/// webhook or reconciliation since), and otherwise commits again; Airtm refusing a second commit
/// is answered by reading the payout.</summary>
public static class CommitWithdrawal
{
    public sealed record Body(bool? Confirm);

    public sealed record Command(string Id, bool? Confirm) : ICommand<WithdrawalResponse>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "WITHDRAWAL_COMMIT";

        string IAuditedCommand.AuditResourceType => "withdrawal";

        string? IAuditedCommand.AuditResourceId => Id;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Confirm).NotNull().Equal(true).WithMessage("must be true");
    }

    public sealed class Handler(Db db, AirtmClient airtm, WithdrawalProgress progress, RequestContext request) : ICommandHandler<Command, WithdrawalResponse>
    {
        // States a withdrawal reaches only once its commit took.
        private static readonly HashSet<string> CommitTook =
            [WithdrawalStates.Committed, WithdrawalStates.Pending, WithdrawalStates.PendingUserAction, WithdrawalStates.Completed];

        public async ValueTask<WithdrawalResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var withdrawal = await WithdrawalStore.Rows.GetAsync(db, command.Id, cancellationToken);
            if (request.IdempotencyResumed && CommitTook.Contains(withdrawal.Status))
            {
                // The retry of a commit that was interrupted after Airtm took it (and a webhook or
                // reconciliation recorded it since): the withdrawal as it now is is its outcome.
                return withdrawal.ToResponse();
            }

            if (withdrawal.Status != WithdrawalStates.Created || withdrawal.AirtmPayoutId is not { } payoutId)
            {
                throw NotCommittable(withdrawal);
            }

            // The claim of the key is committed before Airtm is called: a retry after a timeout (or
            // a crash) then resumes this commit instead of running anew against a withdrawal that
            // the commit, and its webhook, may have moved on.
            await db.CheckpointAsync(cancellationToken);
            try
            {
                await airtm.CommitPayoutAsync(payoutId, cancellationToken);
            }
            catch (ProviderException refused) when (!refused.Transient)
            {
                // Already committed by an earlier attempt (its outcome is this request's), or
                // refused: the payout says which.
                var current = await ApplyCurrentAsync(withdrawal, payoutId, cancellationToken);
                if (CommitTook.Contains(current.Status))
                {
                    return current.ToResponse();
                }

                throw;
            }

            withdrawal = await ApplyCurrentAsync(withdrawal, payoutId, cancellationToken);
            return withdrawal.ToResponse();
        }

        private async Task<WithdrawalRow> ApplyCurrentAsync(WithdrawalRow withdrawal, string payoutId, CancellationToken ct)
        {
            var payout = await airtm.GetPayoutAsync(payoutId, ct)
                ?? throw ProviderException.InvalidResponse(AirtmClient.Provider, "the payout disappeared");
            var applied = await progress.ApplyAsync(await WithdrawalStore.Rows.LockAsync(db, withdrawal.Id, ct), payout, ct);
            // Kept even when the request then fails.
            await db.CheckpointAsync(ct);
            return applied;
        }

        private static ApiException NotCommittable(WithdrawalRow withdrawal) =>
            new(409, ApiErrors.WithdrawalNotCommittable, withdrawal.AirtmPayoutId is null && withdrawal.Status == WithdrawalStates.Created
                    ? "The payout has not been created at Airtm yet; refresh the withdrawal first"
                    : "Only a withdrawal awaiting its commit can be committed",
                new Dictionary<string, object?> { ["withdrawal_id"] = withdrawal.Id, ["current_status"] = withdrawal.Status });
    }
}
