using System.Text.Json;
using FluentValidation;
using Mediator;
using OfferHub.Lite.Features.Users;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.Providers.Airtm;
using OfferHub.Lite.Infrastructure.Providers;
using OfferHub.Lite.Infrastructure.StateMachines;

namespace OfferHub.Lite.Features.Topups.CreateTopup;

/// <summary>Creates a top-up and its Airtm pay-in. The top-up row is committed before Airtm is
/// called, keyed by the request's Idempotency-Key, so that a retry after a timeout finds it, looks
/// the pay-in up by our code, and never creates a second one.</summary>
public static class CreateTopup
{
    public sealed record Command(string? UserId, AmountText? Amount, string? Currency, string? ReturnUrl, string? CancelUrl, JsonElement? Metadata)
        : ICommand<TopupResponse>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "TOPUP_CREATE";

        string IAuditedCommand.AuditResourceType => "topup";
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(OfferHubOptions options)
        {
            RuleFor(c => c.UserId).NotEmpty().MustBePlainText(40);
            RuleFor(c => c.Amount).NotNull().MustBeAmount();
            RuleFor(c => c.Currency).NotEmpty().MustBeCurrency(options.Currencies);
            RuleFor(c => c.ReturnUrl).NotEmpty().MustBeCallbackUrl(!options.IsProduction);
            RuleFor(c => c.CancelUrl).NotEmpty().MustBeCallbackUrl(!options.IsProduction);
            RuleFor(c => c.Metadata).MustBeMetadata();
        }
    }

    public sealed class Handler(Db db, AirtmClient airtm, TopupProgress progress, StateChanges states, Outbox outbox, RequestContext request,
        OfferHubOptions options, TimeProvider clock) : ICommandHandler<Command, TopupResponse>
    {
        /// <summary>How long a payer has to confirm before the expiry job cancels the pay-in.</summary>
        public static readonly TimeSpan ConfirmationWindow = TimeSpan.FromMinutes(60);

        private const string InsertSql = """
            INSERT INTO topups (id, user_id, status, amount, currency, return_url, cancel_url, metadata, request_key, expires_at, created_at, updated_at)
            VALUES (@Id, @UserId, @Status, @Amount, @Currency, @ReturnUrl, @CancelUrl, @Metadata, @RequestKey, @ExpiresAt, @CreatedAt, @UpdatedAt)
            """;

        private const string LastErrorSql = "UPDATE topups SET last_error = @error WHERE id = @id";

        public async ValueTask<TopupResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            if (!options.Features.TopupsEnabled)
            {
                throw ApiErrors.Disabled("top-ups");
            }

            var amount = command.Amount!.Value.Cents;
            AmountRules.RequireAtLeast(amount, options.Limits.MinTopupCents, "top-up");

            var user = await UserStore.GetActiveAsync(db, command.UserId!, cancellationToken);
            UserStore.LinkedAirtmEmail(user);
            var requestKey = $"{request.IdempotencyOwner}:{request.IdempotencyKey}";
            var topup = await TopupStore.Rows.FindByRequestAsync(db, requestKey, cancellationToken);
            var resuming = topup is not null;
            if (topup is null)
            {
                topup = await InsertAsync(command, amount, requestKey, cancellationToken);
            }
            else if (topup.UserId != user.Id || topup.Amount != amount || topup.ReturnUrl != command.ReturnUrl)
            {
                throw new ApiException(409, ApiErrors.IdempotencyKeyReused, "This Idempotency-Key was used for a different request");
            }

            if (topup.Status != TopupStates.Created)
            {
                return topup.ToResponse();
            }

            await db.CheckpointAsync(cancellationToken);
            var payin = await CreatePayinOnceAsync(topup, resuming, cancellationToken);
            topup = await TopupStore.Rows.LockAsync(db, topup.Id, cancellationToken);
            return (await progress.ApplyAsync(topup, payin, cancellationToken)).ToResponse();
        }

        private async Task<TopupRow> InsertAsync(Command command, long amount, string requestKey, CancellationToken ct)
        {
            var now = clock.NowMs();
            var topup = new TopupRow(Ids.New("topup"), command.UserId!, TopupStates.Created, amount, command.Currency!, command.ReturnUrl!, command.CancelUrl!,
                command.Metadata is { ValueKind: JsonValueKind.Object } metadata ? metadata.GetRawText() : null,
                null, null, null, null, null, null, null, requestKey, now + (long)ConfirmationWindow.TotalMilliseconds, now, now);
            await db.ExecuteAsync(InsertSql, topup, ct);
            await outbox.PublishAsync("topup.created", "topup", topup.Id, [topup.UserId],
                new { topup_id = topup.Id, user_id = topup.UserId, amount = Amount.Format(amount), currency = topup.Currency }, ct);
            return topup;
        }

        /// <summary>The pay-in for this top-up: the one Airtm already has under our code when an
        /// earlier attempt may have reached it, else a new one. A definitive refusal fails the top-up.</summary>
        private async Task<Payin> CreatePayinOnceAsync(TopupRow topup, bool resuming, CancellationToken ct)
        {
            try
            {
                if (resuming && await airtm.FindPayinByCodeAsync(topup.Id, ct) is { } existing)
                {
                    return existing;
                }

                var usd = AirtmMoney.ToUsd(topup.Amount);
                return await airtm.CreatePayinAsync(new CreatePayinRequest(topup.Id, usd, $"Balance top-up {topup.Id}",
                    [new CreatePayinItem("Balance top-up", usd, 1)], topup.ReturnUrl, topup.CancelUrl), ct);
            }
            catch (ProviderException failure)
            {
                await db.ExecuteAsync(LastErrorSql, new { id = topup.Id, error = failure.Code }, ct);
                if (!failure.Transient)
                {
                    await states.MoveAsync(TopupStates.Machine, TopupStates.Table, topup.Id, topup.Status, "payin_refused", failure.ProviderCode, ct);
                    await outbox.PublishAsync(TopupStates.EventFor(TopupStates.Failed), "topup", topup.Id, [topup.UserId],
                        new { topup_id = topup.Id, reason = failure.Message }, ct);
                }

                // Kept although the request fails: a retry resumes from it.
                await db.CheckpointAsync(ct);
                throw;
            }
        }
    }
}
