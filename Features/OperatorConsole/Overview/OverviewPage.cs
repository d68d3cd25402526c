using Mediator;
using OfferHub.Lite.Features.OperatorConsole.Shell;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Features.OperatorConsole.Overview;

/// <summary>The first page: the open work (disputes by status), a look-up box, and money by state over the last two weeks.</summary>
public static class OverviewPage
{
    private const string CountsSql = "SELECT status, CAST(COUNT(*) AS BIGINT) AS count FROM disputes GROUP BY status";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapConsole().MapGet("/", async (HttpContext http, ISender sender, Db db, CancellationToken ct) =>
        {
            var counts = (await db.QueryAsync<StatusCount>(CountsSql, null, ct)).ToDictionary(c => c.Status, c => c.Count);
            var chart = MoneyChart.Render(await sender.Send(new MoneyByDay.Query(14), ct));
            var tiles = Html.Join(new[] { ("OPEN", "Open"), ("UNDER_REVIEW", "Under review"), ("RESOLVED", "Resolved") }.Select(t => Html.Of($"""
                <a class="card tile" href="/console/disputes?status={t.Item1}"><strong>{counts.GetValueOrDefault(t.Item1)}</strong> {t.Item2} disputes</a>
                """)));
            return ConsolePages.Page(http, "Overview", Html.Of($"""
                <div class="grid">{tiles}</div>
                <form method="get" action="/console/lookup" class="card" role="search">
                  <label for="q">Find a user, order, top-up, withdrawal or dispute</label>
                  <div class="inline"><input id="q" name="q" type="search" placeholder="id, external ref or e-mail" required><button type="submit">Look up</button></div>
                </form>
                <section class="card" aria-labelledby="money"><h2 id="money">Money by state, last 14 days</h2>{chart}</section>
                """));
        });

    // A class, not a record: Dapper maps it by name even when an empty result reports no column types.
    private sealed class StatusCount
    {
        public string Status { get; set; } = string.Empty;

        public long Count { get; set; }
    }
}
