using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Providers;
using OfferHub.Lite.Infrastructure.Providers.Airtm;
using OfferHub.Lite.Infrastructure.StateMachines;

namespace OfferHub.Lite.Features.AirtmRails;

/// <summary>A row of ours that mirrors one Airtm operation: a top-up its pay-in, a withdrawal its payout.</summary>
public interface IAirtmRailRow
{
    string Id { get; }

    string Status { get; }

    /// <summary>Airtm's id of the operation, once Airtm has answered its creation.</summary>
    string? AirtmOperationId { get; }

    /// <summary>When the last applied Airtm report was made (unix ms), so an older one is ignored.</summary>
    long? ProviderUpdatedAt { get; }
}

/// <summary>What a top-up and a withdrawal share on their way through Airtm: the operation is read
/// at Airtm by its id (or by our code when its create response was lost), cancelled there, and
/// whatever Airtm reports is applied through the row's state machine by the one
/// <see cref="ApplyAsync"/> of the slice. What differs (a pay-in credits, a payout holds and pays
/// out; their ledger legs and events) is the slice's <see cref="ApplyAsync"/>.</summary>
public abstract class AirtmRail<TRow, TReport>(Db db, ProviderReports reports, RailRows<TRow> rows, StateMachine machine)
    where TRow : class, IAirtmRailRow
    where TReport : class
{
    protected Db Db => db;

    /// <summary>"pay-in" or "payout", for messages about the Airtm operation.</summary>
    protected abstract string OperationName { get; }

    /// <summary>The state a successful cancel ends in.</summary>
    protected abstract string CanceledStatus { get; }

    protected abstract bool IsTerminal(string status);

    protected abstract Task<TReport?> ReadAtAirtmAsync(string airtmId, CancellationToken ct);

    protected abstract Task<TReport?> FindAtAirtmByCodeAsync(string code, CancellationToken ct);

    protected abstract Task<TReport> CancelAtAirtmAsync(string airtmId, CancellationToken ct);

    /// <summary>Applies <paramref name="report"/> to the row, which the caller has locked in the
    /// current transaction, and returns the row as it now is. A report that arrives twice, late or
    /// out of order changes nothing the second time.</summary>
    public abstract Task<TRow> ApplyAsync(TRow row, TReport report, CancellationToken ct);

    /// <summary>Reads the operation at Airtm and applies it: recovers a lost webhook, or an
    /// operation whose create response was lost. A finished row, or one Airtm does not know, is
    /// answered as it is.</summary>
    public async Task<TRow> RefreshAsync(string id, CancellationToken ct)
    {
        var row = await rows.GetAsync(db, id, ct);
        if (IsTerminal(row.Status) || await FindAtAirtmAsync(row, ct) is not { } report)
        {
            return row;
        }

        return await ApplyAsync(await rows.LockAsync(db, row.Id, ct), report, ct);
    }

    /// <summary>The operation as Airtm holds it: by its id, or by our code before we learnt the id.</summary>
    public Task<TReport?> FindAtAirtmAsync(TRow row, CancellationToken ct) =>
        row.AirtmOperationId is { } airtmId ? ReadAtAirtmAsync(airtmId, ct) : FindAtAirtmByCodeAsync(row.Id, ct);

    /// <summary>Asks Airtm to cancel the operation. When Airtm refuses (the payer or Airtm moved
    /// first), the answer is what it holds instead.</summary>
    public async Task<TReport> CancelOrReadAsync(string airtmId, CancellationToken ct)
    {
        try
        {
            return await CancelAtAirtmAsync(airtmId, ct);
        }
        catch (ProviderException refused) when (!refused.Transient)
        {
            return await ReadAtAirtmAsync(airtmId, ct) ?? throw ProviderException.InvalidResponse(AirtmClient.Provider, $"the {OperationName} disappeared");
        }
    }

    /// <summary>Applies what Airtm answered a cancel with. When that is not a cancel, what Airtm
    /// reported stays applied although the cancel is refused.</summary>
    public async Task<TRow> ApplyCancelAsync(TRow row, TReport report, CancellationToken ct)
    {
        var applied = await ApplyAsync(await rows.LockAsync(db, row.Id, ct), report, ct);
        if (applied.Status != CanceledStatus)
        {
            await db.CheckpointAsync(ct);
            throw machine.Invalid(applied.Id, applied.Status, "cancel");
        }

        return applied;
    }

    /// <summary>The transitions from the row's state to <paramref name="target"/> (Airtm's
    /// <paramref name="airtmStatus"/> mapped); none for a stale, unknown or unreachable report.</summary>
    protected IReadOnlyList<Transition> Plan(TRow row, string airtmStatus, string? target, DateTimeOffset reportedAt) =>
        reports.Plan(machine, row.Id, row.Status, airtmStatus, target, row.ProviderUpdatedAt, reportedAt.ToUnixTimeMilliseconds());
}
