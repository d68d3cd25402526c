using OfferHub.Lite.Features.AirtmRails;
using OfferHub.Lite.Infrastructure.Audit;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Ledger;
using OfferHub.Lite.Infrastructure.Providers;
using OfferHub.Lite.Infrastructure.Providers.Airtm;
using OfferHub.Lite.Infrastructure.StateMachines;
using Cents = OfferHub.Lite.Infrastructure.Money.Amount;

namespace OfferHub.Lite.Features.Topups;

/// <summary>Brings a top-up to what Airtm reports for its pay-in, through the transitions of
/// <see cref="TopupStates.Machine"/>: the top-up's side of the shared Airtm rail. The one path for
/// the create response, refresh, cancel and webhooks.</summary>
public sealed class TopupProgress(Db db, AirtmClient airtm, StateChanges states, ProviderReports reports, Outbox outbox, AuditLog audit, Ledger ledger,
    OfferHubOptions options) : AirtmRail<TopupRow, Payin>(db, reports, TopupStore.Rows, TopupStates.Machine)
{
    private const string RecordPayinSql = """
        UPDATE topups SET airtm_payin_id = @payinId, confirmation_uri = COALESCE(confirmation_uri, @confirmationUri),
            airtm_fee = @fee, net_amount = @net, payer_airtm_user_id = @payer, failure_reason = @failure,
            provider_updated_at = @providerUpdatedAt, last_error = NULL
        WHERE id = @id
        """;

    private const string PayerLinkSql = "SELECT airtm_user_id FROM users WHERE id = @userId";

    protected override string OperationName => "pay-in";

    protected override string CanceledStatus => TopupStates.Canceled;

    protected override bool IsTerminal(string status) => TopupStates.IsTerminal(status);

    protected override Task<Payin?> ReadAtAirtmAsync(string airtmId, CancellationToken ct) => airtm.GetPayinAsync(airtmId, ct);

    protected override Task<Payin?> FindAtAirtmByCodeAsync(string code, CancellationToken ct) => airtm.FindPayinByCodeAsync(code, ct);

    protected override Task<Payin> CancelAtAirtmAsync(string airtmId, CancellationToken ct) => airtm.CancelPayinAsync(airtmId, ct);

    public override async Task<TopupRow> ApplyAsync(TopupRow topup, Payin payin, CancellationToken ct)
    {
        if (payin.Code != topup.Id || (topup.AirtmPayinId is not null && topup.AirtmPayinId != payin.Id))
        {
            throw ProviderException.InvalidResponse(AirtmClient.Provider, "the pay-in does not belong to this top-up");
        }

        var path = Plan(topup, payin.Status, AirtmStatuses.TopupStatusFor(payin.Status), payin.UpdatedAt);
        if (path.Count == 0 && topup.AirtmPayinId is not null)
        {
            return topup;
        }

        var confirmationUri = options.Airtm.CheckoutUrlTemplate!.Replace("{id}", payin.Id, StringComparison.Ordinal).Replace("{hash}", payin.Hash ?? string.Empty, StringComparison.Ordinal);
        await Db.ExecuteAsync(RecordPayinSql, new
        {
            id = topup.Id,
            payinId = payin.Id,
            confirmationUri,
            fee = AirtmMoney.ToCents(payin.AirtmFee),
            net = AirtmMoney.ToCents(payin.NetAmount),
            payer = payin.AirtmUserId,
            failure = payin.FailureReason,
            providerUpdatedAt = payin.UpdatedAt.ToUnixTimeMilliseconds(),
        }, ct);
        var current = topup.Status;
        foreach (var step in path)
        {
            current = await states.MoveAsync(TopupStates.Machine, TopupStates.Table, topup.Id, current, step.Action, payin.FailureReason, ct);
            await EnterAsync(topup, current, payin, confirmationUri, ct);
        }

        return await TopupStore.Rows.GetAsync(Db, topup.Id, ct);
    }

    private async Task EnterAsync(TopupRow topup, string status, Payin payin, string confirmationUri, CancellationToken ct)
    {
        object data = status switch
        {
            TopupStates.AwaitingConfirmation => new { topup_id = topup.Id, confirmation_uri = confirmationUri },
            TopupStates.Succeeded => new { topup_id = topup.Id, user_id = topup.UserId, amount = Cents.Format(topup.Amount) },
            TopupStates.Failed => new { topup_id = topup.Id, reason = payin.FailureReason },
            _ => new { topup_id = topup.Id, status },
        };
        if (status == TopupStates.Succeeded)
        {
            // Airtm reports the gross it collected; it must be what we asked for.
            if (AirtmMoney.ToCents(payin.Amount) != topup.Amount)
            {
                throw ProviderException.InvalidResponse(AirtmClient.Provider, "the confirmed amount differs from the top-up amount");
            }

            // The user is credited the gross; Airtm's fee (the enterprise receives netAmount) is the operator's.
            var fee = AirtmMoney.ToCents(payin.AirtmFee);
            List<Transfer> legs = [new(Accounts.AirtmPayins, Accounts.Available(topup.UserId), topup.Amount, "topup", "topup", topup.Id, "credit")];
            if (fee > 0)
            {
                legs.Add(new(Accounts.PlatformFunds, Accounts.AirtmFees, fee, "airtm_fee", "topup", topup.Id, "fee"));
            }

            await ledger.PostAsync(legs, ct);
            var linked = await Db.QuerySingleOrDefaultAsync<string>(PayerLinkSql, new { userId = topup.UserId }, ct);
            if (payin.AirtmUserId is { } payer && payer != linked)
            {
                // The money is the creator's either way; the mismatch is kept for support.
                await audit.WriteAsync(new AuditEntry("TOPUP_PAYER_MISMATCH", "topup", topup.Id, Success: true,
                    After: new { linked_airtm_user_id = linked, payer_airtm_user_id = payer }, ProviderRef: payin.Id), ct);
            }
        }

        await outbox.PublishAsync(TopupStates.EventFor(status), "topup", topup.Id, [topup.UserId], data, ct);
    }
}
