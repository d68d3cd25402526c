using OfferHub.Lite.Infrastructure.Jobs;
using OfferHub.Lite.Infrastructure.Money;

namespace OfferHub.Lite.Features.Operations;

/// <summary>The scheduled jobs of the operations slices: each runs its slice's command on a period
/// from the options (the scheduler lives in Infrastructure/Jobs; the host hands it this list).</summary>
public static class BackgroundJobs
{
    public static readonly IReadOnlyList<JobDefinition> All =
    [
        new("reconciliation", o => o.Jobs.ReconcileEverySeconds, async (sender, ct) =>
        {
            var report = await sender.Send(new Reconcile.Reconcile.Command(Fix: true), ct);
            var failed = report.Stuck.Where(i => i.Error is not null).ToList();
            return failed.Count > 0
                ? throw new InvalidOperationException($"{failed.Count} of {report.Stuck.Count} stuck item(s) could not be advanced: {failed[0].Kind} {failed[0].Id}: {failed[0].Error}")
                : $"{report.Stuck.Count} stuck item(s) re-read; ledger {(report.LedgerBalanced ? "balanced" : "MISMATCH")}; "
                    + $"{report.Places.Count(p => p.Reconciled)} of {report.Places.Count} provider place(s) reconciled"
                    + string.Concat(report.Places.Where(p => !p.Reconciled).Take(3).Select(p => $"; {p.Account}: {(p.Difference is { } d ? "difference " + Amount.Format(d) : "unknown " + p.Error)}"));
        }),
        new("expiry", o => o.Jobs.ExpiryEverySeconds, async (sender, ct) =>
            $"{(await sender.Send(new ExpireStale.ExpireStale.Command(), ct)).Expired.Count} expired"),
        new("ledger_check", o => o.Jobs.LedgerCheckEverySeconds, async (sender, ct) =>
            (await sender.Send(new CheckLedger.CheckLedger.Command(), ct)).Balanced ? "balanced" : "MISMATCH"),
        new("idempotency_cleanup", o => o.Jobs.IdempotencyCleanupEverySeconds, async (sender, ct) =>
            $"{await sender.Send(new CleanupIdempotencyKeys.CleanupIdempotencyKeys.Command(), ct)} key(s) deleted"),
        new("event_retention", o => o.Jobs.EventRetentionEverySeconds, async (sender, ct) =>
            $"{await sender.Send(new PruneEvents.PruneEvents.Command(), ct)} event(s) past retention deleted"),
    ];
}
