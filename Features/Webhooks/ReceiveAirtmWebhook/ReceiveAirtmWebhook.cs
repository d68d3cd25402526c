using System.Text.Json;
using Mediator;
using OfferHub.Lite.Features.Topups;
using OfferHub.Lite.Features.Withdrawals;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Providers;
using OfferHub.Lite.Infrastructure.Providers.Airtm;
using OfferHub.Lite.Infrastructure.Webhooks;

namespace OfferHub.Lite.Features.Webhooks.ReceiveAirtmWebhook;

/// <summary>An Airtm callback whose signature the endpoint filter has verified: recorded once per
/// svix-id, audited with a hash of the body, and applied through the same progress code as the
/// API. The status in data is what counts, not the event name.</summary>
public static partial class ReceiveAirtmWebhook
{
    public sealed record Command(string EventId, byte[] Body) : ICommand<Result>;

    public sealed record Result(string Status, bool Duplicate);

    public sealed partial class Handler(Db db, WebhookInbox inbox, TopupProgress topups, WithdrawalProgress withdrawals, ILogger<Handler> logger)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            AirtmWebhook webhook;
            Payin? payin = null;
            Payout? payout = null;
            try
            {
                webhook = JsonSerializer.Deserialize<AirtmWebhook>(command.Body, AirtmJson.Options) ?? throw new JsonException("null");
                // Read before anything is recorded: data missing a field Airtm's schema requires is refused whole.
                var kind = webhook.Type.Split('.')[0];
                payin = kind == "payin" ? webhook.Data.Deserialize<Payin>(AirtmJson.Options) : null;
                payout = kind == "payout" ? webhook.Data.Deserialize<Payout>(AirtmJson.Options) : null;
            }
            catch (JsonException)
            {
                throw ProviderException.InvalidResponse(AirtmClient.Provider, "the webhook body is not an Airtm event");
            }

            if (await inbox.RecordAsync(AirtmClient.Provider, command.EventId, webhook.Type, command.Body, cancellationToken) is not { } received)
            {
                return new Result("ok", Duplicate: true);
            }

            var (resourceType, resourceId, providerRef) = (payin, payout) switch
            {
                ({ } reported, _) => await ApplyPayinAsync(reported, cancellationToken),
                (_, { } reported) => await ApplyPayoutAsync(reported, cancellationToken),
                _ => Ignored(webhook.Type),
            };
            await inbox.AuditAsync(received, resourceType, resourceId, providerRef, cancellationToken);
            return new Result("ok", Duplicate: false);
        }

        private async Task<(string?, string?, string?)> ApplyPayinAsync(Payin payin, CancellationToken ct)
        {
            if (await ResourceRows.FindAsync<TopupRow>(db, TopupStates.Table, TopupRow.Columns, "id", payin.Code, ct) is null)
            {
                throw ProviderException.InvalidResponse(AirtmClient.Provider, "the pay-in names no top-up of ours");
            }

            await topups.ApplyAsync(await TopupStore.Rows.LockAsync(db, payin.Code, ct), payin, ct);
            return ("topup", payin.Code, payin.Id);
        }

        private async Task<(string?, string?, string?)> ApplyPayoutAsync(Payout payout, CancellationToken ct)
        {
            // code is optional in Airtm's PayoutResponse: without it, the payout id finds the withdrawal.
            var found = payout.Code is { } code
                ? await ResourceRows.FindAsync<WithdrawalRow>(db, WithdrawalStates.Table, WithdrawalRow.Columns, "id", code, ct)
                : await ResourceRows.FindAsync<WithdrawalRow>(db, WithdrawalStates.Table, WithdrawalRow.Columns, "airtm_payout_id", payout.Id, ct);
            if (found is null)
            {
                throw ProviderException.InvalidResponse(AirtmClient.Provider, "the payout names no withdrawal of ours");
            }

            await withdrawals.ApplyAsync(await WithdrawalStore.Rows.LockAsync(db, found.Id, ct), payout, ct);
            return ("withdrawal", found.Id, payout.Id);
        }

        private (string?, string?, string?) Ignored(string type)
        {
            LogUnknownType(type);
            return (null, null, null);
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "Airtm webhook of unknown type {Type}; recorded and ignored")]
        private partial void LogUnknownType(string type);
    }
}
