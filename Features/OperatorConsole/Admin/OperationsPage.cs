using Mediator;
using OfferHub.Lite.Features.Operations.CheckLedger;
using OfferHub.Lite.Features.Operations.ListDeadLetters;
using OfferHub.Lite.Features.Operations.ListJobs;
using OfferHub.Lite.Features.Operations.Reconcile;
using OfferHub.Lite.Features.Operations.RetryDeadLetter;
using OfferHub.Lite.Features.OperatorConsole.Shell;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Primitives;
using static OfferHub.Lite.Features.OperatorConsole.Shell.ConsoleFormat;

namespace OfferHub.Lite.Features.OperatorConsole.Admin;

/// <summary>The background jobs' latest runs (reconciliation and ledger proof among them), a
/// report-only reconciliation and a ledger proof on demand, and the dead letters with retry.</summary>
public static class OperationsPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var admin = app.MapConsole(ConsoleAccess.Admin);
        admin.MapGet("/admin/operations", (string? done, HttpContext http, ISender sender, CancellationToken ct) =>
            RenderAsync(http, sender, 200, done == "retried" ? "The job ran again." : null, null, Html.Empty, ct));

        admin.MapPost("/admin/operations/reconcile", async (HttpContext http, ISender sender, CancellationToken ct) =>
        {
            var report = await sender.Send(new Reconcile.Command(Fix: false), ct);
            var stuck = Table("Stuck items (report only: nothing was changed)", ["Kind", "Id", "State"], report.Stuck.Select(i => Html.Of($"""
                <tr><td>{i.Kind}</td><td><code>{i.Id}</code></td><td>{Status(i.Before)}</td></tr>
                """)), "Nothing is stuck at the providers.");
            return await RenderAsync(http, sender, 200, "Reconciliation report made now.", null, Html.Of($"""
                <section class="card" aria-labelledby="report-h"><h2 id="report-h">Reconciliation report</h2>
                  <p>Ledger: {Status(report.LedgerBalanced ? "ok" : "mismatch")} (total {Amount.Format(report.LedgerTotal)}, {report.LedgerMismatches.Count} account(s) differ from their entries).</p>
                  {stuck}
                </section>
                """), ct);
        }).DuringMaintenance(ConsoleAccess.Admin);

        admin.MapPost("/admin/operations/ledger-proof", async (HttpContext http, ISender sender, CancellationToken ct) =>
        {
            var proof = await sender.Send(new CheckLedger.Command(), ct);
            var mismatches = Table("Accounts whose balance differs from their entries", ["Account"], proof.Mismatches.Select(m => Html.Of($"<tr><td><code>{m.Account}</code></td></tr>")), "Every balance equals the sum of its entries.");
            return await RenderAsync(http, sender, 200, "Ledger proof made now.", null, Html.Of($"""
                <section class="card" aria-labelledby="proof-h"><h2 id="proof-h">Ledger proof</h2>
                  <p>{Status(proof.Balanced ? "ok" : "mismatch")} at {proof.CheckedAt}: everything sums to {Amount.Format(proof.Total)}; {proof.NegativeAccounts.Count} account(s) below zero that may not be.</p>
                  {mismatches}
                </section>
                """), ct);
        }).DuringMaintenance(ConsoleAccess.Admin);

        admin.MapPost("/admin/operations/dead-letters/{id}/retry", async (string id, HttpContext http, ISender sender, CancellationToken ct) =>
        {
            try
            {
                await sender.Send(new RetryDeadLetter.Command(id), ct);
                return ConsolePages.SeeOther("/console/admin/operations?done=retried");
            }
            catch (ApiException refused) when (refused.Status is >= 400 and < 500)
            {
                return await RenderAsync(http, sender, refused.Status, null, ConsolePages.ErrorOf(refused), Html.Empty, ct);
            }
            catch (Exception failed) when (failed is not OperationCanceledException and not ApiException)
            {
                // The job failed again: that is the answer the operator asked for, not a console error.
                return await RenderAsync(http, sender, 409, null, Html.Of($"<p>The job failed again: {failed.Message}</p>"), Html.Empty, ct);
            }
        });
    }

    private static async Task<IResult> RenderAsync(HttpContext http, ISender sender, int status, string? notice, Html? error, Html report, CancellationToken ct)
    {
        var viewer = http.Viewer();
        var runs = new List<Html>();
        foreach (var job in await sender.Send(new ListJobs.Query(), ct))
        {
            var last = job.LastRun;
            runs.Add(Html.Of($"""
                <tr><th scope="row">{job.Name}</th><td>{(last is null ? Html.Of($"never") : Status(last.Status))}</td><td>{(last is null ? "–" : Timestamps.FromMs(last.FinishedAt).ToString("u", System.Globalization.CultureInfo.InvariantCulture))}</td><td>{last?.Summary ?? last?.Error ?? "–"}</td></tr>
                """));
        }

        var letters = await sender.Send(new ListDeadLetters.Query(), ct);
        var letterRows = letters.Select(l => Html.Of($"""
            <tr><td><code>{l.Id}</code></td><td>{l.Job}</td><td class="num">{l.Attempts}</td><td>{Timestamps.FromMs(l.FailedAt)}</td><td>{l.Error}</td><td>{(l.RetriedAt is { } at ? Timestamps.FromMs(at).ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "–")}</td>
                <td><form method="post" action="/console/admin/operations/dead-letters/{l.Id}/retry">{ConsolePages.FormToken(viewer)}<button type="submit" class="secondary" aria-label="Retry {l.Id}">Retry</button></form></td></tr>
            """));
        return ConsolePages.Page(http, "Operations", Html.Of($"""
            {report}
            <section class="card" aria-labelledby="jobs-h"><h2 id="jobs-h">Latest run of each job</h2>
              {Table("Background jobs: reconciliation, expiry, ledger proof and clean-ups", ["Job", "Result", "Finished", "Summary"], runs, "")}
              <div class="inline">
                <form method="post" action="/console/admin/operations/reconcile">{ConsolePages.FormToken(viewer)}<button type="submit" class="secondary">Reconciliation report now</button></form>
                <form method="post" action="/console/admin/operations/ledger-proof">{ConsolePages.FormToken(viewer)}<button type="submit" class="secondary">Ledger proof now</button></form>
              </div>
            </section>
            <section class="card" aria-labelledby="dead-h"><h2 id="dead-h">Dead letters</h2>
              {Table("Job runs that failed every try, newest first", ["Id", "Job", "#Attempts", "Failed", "Error", "Retried", "Action"], letterRows, "No dead letters.")}
            </section>
            """), status, notice, error);
    }

}
