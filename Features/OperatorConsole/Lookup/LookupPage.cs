using Mediator;
using OfferHub.Lite.Features.OperatorConsole.Shell;
using OfferHub.Lite.Infrastructure.Errors;
using static OfferHub.Lite.Features.OperatorConsole.Shell.ConsoleFormat;

namespace OfferHub.Lite.Features.OperatorConsole.Lookup;

public static class LookupPage
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapConsole().MapGet("/lookup", async (string? q, HttpContext http, ISender sender, CancellationToken ct) =>
        {
            Html results = Html.Empty;
            Html? error = null;
            var status = 200;
            if (q is not null)
            {
                try
                {
                    var hits = await sender.Send(new Lookup.Query(q), ct);
                    results = Table($"What “{q.Trim()}” names", ["Kind", "Id", "Status", "#Amount", "User", "Matched by"], hits.Select(h => Html.Of($"""
                        <tr><td>{h.Kind}</td><td>{Target(h)}</td><td>{Status(h.Status)}</td><td class="num">{h.Amount ?? "–"}</td><td>{(h.UserId is { } u ? UserLink(u) : Html.Empty)}</td><td>{h.Matched}</td></tr>
                        """)), $"Nothing found for “{q.Trim()}”. Ids start with usr_, ord_, topup_, wd_ or dsp_; e-mail addresses and external refs must match exactly.");
                }
                catch (ApiException bad) when (bad.Status is >= 400 and < 500)
                {
                    (error, status) = (ConsolePages.ErrorOf(bad), bad.Status);
                }
            }

            return ConsolePages.Page(http, "Look-up", Html.Of($"""
                <form method="get" action="/console/lookup" class="card" role="search">
                  <label for="q">Id, external ref or e-mail</label>
                  <p class="hint">A user, order, top-up, withdrawal or dispute id; an external user id or client order ref; an Airtm pay-in or payout id; an e-mail address.</p>
                  <div class="inline"><input id="q" name="q" type="search" value="{q}" required><button type="submit">Look up</button></div>
                </form>
                {results}
                """), status, error: error);
        });

    private static Html Target(Lookup.Hit hit) => hit.Kind switch
    {
        "user" => UserLink(hit.Id),
        "order" => OrderLink(hit.Id),
        "dispute" => DisputeLink(hit.Id),
        _ => Html.Of($"<code>{hit.Id}</code>"),
    };
}
