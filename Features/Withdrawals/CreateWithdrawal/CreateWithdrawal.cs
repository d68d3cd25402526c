using FluentValidation;
using Mediator;
using OfferHub.Lite.Features.Users;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Ledger;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.Providers.Airtm;
using OfferHub.Lite.Infrastructure.Providers;

namespace OfferHub.Lite.Features.Withdrawals.CreateWithdrawal;

/// <summary>Moves the amount from available to pending at once and creates the Airtm payout. The
/// withdrawal and the hold are committed before Airtm is called, keyed by the Idempotency-Key,
/// so that a retry finds them, looks the payout up by our code, and never pays out twice.</summary>
public static class CreateWithdrawal
{
    public sealed record Command(string? UserId, AmountText? Amount, string? Currency, DestinationInput? Destination, bool? Commit)
        : ICommand<WithdrawalResponse>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "WITHDRAWAL_CREATE";

        string IAuditedCommand.AuditResourceType => "withdrawal";
    }

    public sealed record DestinationInput(string? Type, string? Ref);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(OfferHubOptions options)
        {
            RuleFor(c => c.UserId).NotEmpty().MustBePlainText(40);
            RuleFor(c => c.Amount).NotNull().MustBeAmount();
            RuleFor(c => c.Currency).NotEmpty().MustBeCurrency(options.Currencies);
            RuleFor(c => c.Destination!.Type).NotEmpty().MustBePlainText(32).When(c => c.Destination is not null).OverridePropertyName("destination.type");
            RuleFor(c => c.Destination!.Ref).MustBePlainText(254).When(c => c.Destination is not null).OverridePropertyName("destination.ref");
        }
    }

    public sealed class Handler(Db db, AirtmClient airtm, WithdrawalProgress progress, Ledger ledger, Outbox outbox, RequestContext request,
        OfferHubOptions options, TimeProvider clock) : ICommandHandler<Command, WithdrawalResponse>
    {
        /// <summary>How long a withdrawal may wait for its commit before the expiry job returns the money.</summary>
        public static readonly TimeSpan CommitWindow = TimeSpan.FromHours(24);

        private const string InsertSql = """
            INSERT INTO withdrawals (id, user_id, status, amount, currency, destination_email, commit_requested, request_key, expires_at, created_at, updated_at)
            VALUES (@Id, @UserId, @Status, @Amount, @Currency, @DestinationEmail, @CommitRequested, @RequestKey, @ExpiresAt, @CreatedAt, @UpdatedAt)
            """;

        private const string LastErrorSql = "UPDATE withdrawals SET last_error = @error WHERE id = @id";

        public async ValueTask<WithdrawalResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            if (!options.Features.WithdrawalsEnabled)
            {
                throw ApiErrors.Disabled("withdrawals");
            }

            var amount = command.Amount!.Value.Cents;
            AmountRules.RequireAtLeast(amount, options.Limits.MinWithdrawalCents, "withdrawal");

            var user = await UserStore.GetActiveAsync(db, command.UserId!, cancellationToken);
            var email = Destination(command.Destination, UserStore.LinkedAirtmEmail(user));
            var requestKey = $"{request.IdempotencyOwner}:{request.IdempotencyKey}";
            var withdrawal = await WithdrawalStore.Rows.FindByRequestAsync(db, requestKey, cancellationToken);
            var resuming = withdrawal is not null;
            if (withdrawal is null)
            {
                withdrawal = await InsertAsync(user.Id, amount, command, email, requestKey, cancellationToken);
            }
            else if (withdrawal.UserId != user.Id || withdrawal.Amount != amount)
            {
                throw new ApiException(409, ApiErrors.IdempotencyKeyReused, "This Idempotency-Key was used for a different request");
            }

            if (withdrawal.AirtmPayoutId is not null || WithdrawalStates.IsTerminal(withdrawal.Status))
            {
                return withdrawal.ToResponse();
            }

            await db.CheckpointAsync(cancellationToken);
            var payout = await CreatePayoutOnceAsync(withdrawal, resuming, cancellationToken);
            withdrawal = await WithdrawalStore.Rows.LockAsync(db, withdrawal.Id, cancellationToken);
            return (await progress.ApplyAsync(withdrawal, payout, cancellationToken)).ToResponse();
        }

        /// <summary>An Airtm payout goes to an Airtm account by e-mail: the linked one, which an
        /// explicit destination must name.</summary>
        private static string Destination(DestinationInput? destination, string linkedEmail)
        {
            if (destination is null)
            {
                return linkedEmail;
            }

            if (destination.Type != "airtm")
            {
                throw new ApiException(422, ApiErrors.WithdrawalDestinationInvalid, "Only Airtm destinations are supported",
                    new Dictionary<string, object?> { ["type"] = destination.Type });
            }

            return destination.Ref is null || string.Equals(destination.Ref, linkedEmail, StringComparison.OrdinalIgnoreCase)
                ? linkedEmail
                : throw new ApiException(422, ApiErrors.WithdrawalDestinationInvalid, "The destination must be the user's linked Airtm account");
        }

        private async Task<WithdrawalRow> InsertAsync(string userId, long amount, Command command, string email, string requestKey, CancellationToken ct)
        {
            var now = clock.NowMs();
            var withdrawal = new WithdrawalRow(Ids.New("wd"), userId, WithdrawalStates.Created, amount, command.Currency!, email, command.Commit == true ? 1 : 0,
                null, null, null, null, null, requestKey, now + (long)CommitWindow.TotalMilliseconds, now, now);
            await db.ExecuteAsync(InsertSql, withdrawal, ct);
            // Fails the whole request with INSUFFICIENT_FUNDS when the available balance is short.
            await ledger.PostAsync(new Transfer(Accounts.Available(userId), Accounts.PendingWithdrawal(userId), amount, "withdrawal", "withdrawal", withdrawal.Id, "hold"), ct);
            await outbox.PublishAsync("withdrawal.created", "withdrawal", withdrawal.Id, [userId],
                new { withdrawal_id = withdrawal.Id, user_id = userId, amount = Amount.Format(amount), currency = withdrawal.Currency }, ct);
            return withdrawal;
        }

        private async Task<Payout> CreatePayoutOnceAsync(WithdrawalRow withdrawal, bool resuming, CancellationToken ct)
        {
            try
            {
                if (resuming && await airtm.FindPayoutByCodeAsync(withdrawal.Id, ct) is { } existing)
                {
                    return existing;
                }

                return await airtm.CreatePayoutAsync(new CreatePayoutRequest(withdrawal.DestinationEmail, AirtmMoney.ToUsd(withdrawal.Amount),
                    "Marketplace balance withdrawal", withdrawal.Id, withdrawal.CommitRequested == 1), ct);
            }
            catch (ProviderException failure)
            {
                await db.ExecuteAsync(LastErrorSql, new { id = withdrawal.Id, error = failure.Code }, ct);
                if (!failure.Transient)
                {
                    // Refused outright: the money goes back to available.
                    await progress.MoveAsync(withdrawal, withdrawal.Status, "payout_refused", failure.ProviderCode, ct);
                }

                await db.CheckpointAsync(ct);
                throw;
            }
        }
    }
}
