using Mediator;
using OfferHub.Lite.Features.Operations.CheckLedger;
using OfferHub.Lite.Features.Operations.CleanupIdempotencyKeys;
using OfferHub.Lite.Features.Operations.ExpireStale;
using OfferHub.Lite.Features.Operations.PruneEvents;
using OfferHub.Lite.Features.Operations.Reconcile;
using OfferHub.Lite.Infrastructure.Configuration;

namespace OfferHub.Lite.Infrastructure.Jobs;

/// <summary>A background job: how often it runs and the slice command it sends (the logic lives
/// in the slice). Run returns a one-line summary for the run log.</summary>
public sealed record JobDefinition(string Name, Func<OfferHubOptions, int> EverySeconds, Func<ISender, CancellationToken, Task<string>> Run);

public static class JobCatalog
{
    public static readonly IReadOnlyList<JobDefinition> All =
    [
        new("reconciliation", o => o.Jobs.ReconcileEverySeconds, async (sender, ct) =>
        {
            var report = await sender.Send(new Reconcile.Command(Fix: true), ct);
            var failed = report.Stuck.Where(i => i.Error is not null).ToList();
            return failed.Count > 0
                ? throw new InvalidOperationException($"{failed.Count} of {report.Stuck.Count} stuck item(s) could not be advanced: {failed[0].Kind} {failed[0].Id}: {failed[0].Error}")
                : $"{report.Stuck.Count} stuck item(s) re-read; ledger {(report.LedgerBalanced ? "balanced" : "MISMATCH")}; "
                    + $"{report.Places.Count(p => p.Reconciled)} of {report.Places.Count} provider place(s) reconciled"
                    + string.Concat(report.Places.Where(p => !p.Reconciled).Take(3).Select(p => $"; {p.Account}: {(p.Difference is { } d ? "difference " + Infrastructure.Money.Amount.Format(d) : "unknown " + p.Error)}"));
        }),
        new("expiry", o => o.Jobs.ExpiryEverySeconds, async (sender, ct) =>
            $"{(await sender.Send(new ExpireStale.Command(), ct)).Expired.Count} expired"),
        new("ledger_check", o => o.Jobs.LedgerCheckEverySeconds, async (sender, ct) =>
            (await sender.Send(new CheckLedger.Command(), ct)).Balanced ? "balanced" : "MISMATCH"),
        new("idempotency_cleanup", o => o.Jobs.IdempotencyCleanupEverySeconds, async (sender, ct) =>
            $"{await sender.Send(new CleanupIdempotencyKeys.Command(), ct)} key(s) deleted"),
        new("event_retention", o => o.Jobs.EventRetentionEverySeconds, async (sender, ct) =>
            $"{await sender.Send(new PruneEvents.Command(), ct)} event(s) past retention deleted"),
    ];

    public static JobDefinition? Find(string name) => All.FirstOrDefault(j => j.Name == name);
}
