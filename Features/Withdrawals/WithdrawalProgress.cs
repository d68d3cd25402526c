using OfferHub.Lite.Features.AirtmRails;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Ledger;
using OfferHub.Lite.Infrastructure.Providers;
using OfferHub.Lite.Infrastructure.Providers.Airtm;
using OfferHub.Lite.Infrastructure.StateMachines;
using Cents = OfferHub.Lite.Infrastructure.Money.Amount;

namespace OfferHub.Lite.Features.Withdrawals;

/// <summary>Brings a withdrawal to what Airtm reports for its payout, through the transitions of
/// <see cref="WithdrawalStates.Machine"/>, with the ledger effect of every state entered: the
/// withdrawal's side of the shared Airtm rail. The one path for create, commit, cancel, refresh and webhooks.</summary>
public sealed class WithdrawalProgress(Db db, AirtmClient airtm, StateChanges states, ProviderReports reports, Outbox outbox, Ledger ledger)
    : AirtmRail<WithdrawalRow, Payout>(db, reports, WithdrawalStore.Rows, WithdrawalStates.Machine)
{
    private const string RecordPayoutSql = """
        UPDATE withdrawals SET airtm_payout_id = @payoutId, airtm_fee = @fee, reason_code = COALESCE(@reasonCode, reason_code),
            reason_description = COALESCE(@reasonDescription, reason_description), provider_updated_at = @providerUpdatedAt, last_error = NULL
        WHERE id = @id
        """;

    protected override string OperationName => "payout";

    protected override string CanceledStatus => WithdrawalStates.Canceled;

    protected override bool IsTerminal(string status) => WithdrawalStates.IsTerminal(status);

    protected override Task<Payout?> ReadAtAirtmAsync(string airtmId, CancellationToken ct) => airtm.GetPayoutAsync(airtmId, ct);

    protected override Task<Payout?> FindAtAirtmByCodeAsync(string code, CancellationToken ct) => airtm.FindPayoutByCodeAsync(code, ct);

    protected override Task<Payout> CancelAtAirtmAsync(string airtmId, CancellationToken ct) => airtm.CancelPayoutAsync(airtmId, ct);

    public override async Task<WithdrawalRow> ApplyAsync(WithdrawalRow withdrawal, Payout payout, CancellationToken ct)
    {
        // We send amount = the withdrawal and no enterprise fee: Airtm's grossAmount must be it.
        if (AirtmMoney.ToCents(payout.GrossAmount) != withdrawal.Amount)
        {
            throw ProviderException.InvalidResponse(AirtmClient.Provider, "the payout amount differs from the withdrawal amount");
        }

        if (payout.AirtmFee is { } airtmFee && (airtmFee < 0 || AirtmMoney.ToCents(airtmFee) >= withdrawal.Amount))
        {
            throw ProviderException.InvalidResponse(AirtmClient.Provider, "the payout's Airtm fee is not below its amount");
        }

        // code is optional in Airtm's PayoutResponse; when present it must be ours.
        if ((payout.Code is not null && payout.Code != withdrawal.Id) || (withdrawal.AirtmPayoutId is not null && withdrawal.AirtmPayoutId != payout.Id))
        {
            throw ProviderException.InvalidResponse(AirtmClient.Provider, "the payout does not belong to this withdrawal");
        }

        var path = Plan(withdrawal, payout.Status, AirtmStatuses.WithdrawalStatusFor(payout.Status), payout.UpdatedAt);
        if (path.Count == 0 && withdrawal.AirtmPayoutId is not null)
        {
            return withdrawal;
        }

        await Db.ExecuteAsync(RecordPayoutSql, new
        {
            id = withdrawal.Id,
            payoutId = payout.Id,
            fee = payout.AirtmFee is { } fee ? AirtmMoney.ToCents(fee) : (long?)null,
            reasonCode = payout.ReasonCode,
            reasonDescription = payout.ReasonDescription,
            providerUpdatedAt = payout.UpdatedAt.ToUnixTimeMilliseconds(),
        }, ct);
        var current = withdrawal.Status;
        foreach (var step in path)
        {
            current = await MoveAsync(withdrawal, current, step.Action, payout.ReasonCode, ct, payout);
        }

        return await WithdrawalStore.Rows.GetAsync(Db, withdrawal.Id, ct);
    }

    /// <summary>One transition with its ledger effect and event, for a move that needs no provider
    /// report (cancel before the payout exists, Airtm refusing the payout).</summary>
    public async Task<string> MoveAsync(WithdrawalRow withdrawal, string from, string action, string? reason, CancellationToken ct, Payout? payout = null)
    {
        var to = await states.MoveAsync(WithdrawalStates.Machine, WithdrawalStates.Table, withdrawal.Id, from, action, reason, ct);
        var pending = Accounts.PendingWithdrawal(withdrawal.UserId);
        // A completed payout leaves the enterprise account whole; Airtm withholds its fee from what the recipient receives.
        var fee = to == WithdrawalStates.Completed && payout?.AirtmFee is { } airtmFee ? AirtmMoney.ToCents(airtmFee) : 0;
        List<Transfer> legs = to switch
        {
            WithdrawalStates.Completed => [new(pending, Accounts.AirtmPayouts, withdrawal.Amount - fee, "withdrawal", "withdrawal", withdrawal.Id, "payout")],
            WithdrawalStates.Failed or WithdrawalStates.Canceled => [new(pending, Accounts.Available(withdrawal.UserId), withdrawal.Amount, "withdrawal_returned", "withdrawal", withdrawal.Id, "return")],
            _ => [],
        };
        if (fee > 0)
        {
            legs.Add(new(pending, Accounts.AirtmFees, fee, "airtm_fee", "withdrawal", withdrawal.Id, "fee"));
        }

        if (legs.Count > 0)
        {
            await ledger.PostAsync(legs, ct);
        }

        await outbox.PublishAsync(WithdrawalStates.EventFor(to), "withdrawal", withdrawal.Id, [withdrawal.UserId], new
        {
            withdrawal_id = withdrawal.Id,
            user_id = withdrawal.UserId,
            amount = Cents.Format(withdrawal.Amount),
            status = to,
            reason,
        }, ct);
        return to;
    }
}
