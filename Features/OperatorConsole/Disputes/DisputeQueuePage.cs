using Mediator;
using OfferHub.Lite.Features.Disputes;
using OfferHub.Lite.Features.OperatorConsole.Shell;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Primitives;
using static OfferHub.Lite.Features.OperatorConsole.Shell.ConsoleFormat;

namespace OfferHub.Lite.Features.OperatorConsole.Disputes;

public static class DisputeQueuePage
{
    private static readonly (string Value, string Label)[] StatusChoices =
        [(DisputeQueue.Active, "Open and under review"), (DisputeStates.Open, "Open"), (DisputeStates.UnderReview, "Under review"), (DisputeStates.Resolved, "Resolved")];

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapConsole().MapGet("/disputes", async (HttpContext http, ISender sender, TimeProvider clock, string? status, string? assigned_to, string? reason, CancellationToken ct) =>
        {
            var query = new DisputeQueue.Query(status, assigned_to, reason);
            IReadOnlyList<DisputeQueue.Item> items = [];
            Html? error = null;
            var code = 200;
            try
            {
                items = await sender.Send(query, ct);
            }
            catch (ApiException bad) when (bad.Status is >= 400 and < 500)
            {
                (error, code) = (ConsolePages.ErrorOf(bad), bad.Status);
            }

            var now = clock.GetUtcNow();
            var rows = items.Select(d => Html.Of($"""
                <tr><td>{DisputeLink(d.Id)}</td><td>{Status(d.Status)}</td><td>{OrderLink(d.OrderId)}</td><td class="num">{Amount.Format(d.Amount)} {d.Currency}</td>
                    <td>{d.Reason}</td><td>{d.OpenedBy}</td><td>{d.AssignedTo ?? "unassigned"}</td><td>{Timestamps.FromMs(d.CreatedAt)}<br><span class="muted">{Age(now - Timestamps.FromMs(d.CreatedAt))}</span></td></tr>
                """));
            var options = Html.Join(StatusChoices.Select(s => Html.Of(
                $"""<option value="{s.Value}"{(s.Value == (status ?? DisputeQueue.Active) ? new Html(" selected") : Html.Empty)}>{s.Label}</option>""")));
            return ConsolePages.Page(http, "Disputes", Html.Of($"""
                <form method="get" action="/console/disputes" class="card inline" aria-label="Filter disputes">
                  <div><label for="status">Status</label><select id="status" name="status">{options}</select></div>
                  <div><label for="assigned_to">Assigned to</label><input id="assigned_to" name="assigned_to" type="text" value="{assigned_to}" placeholder="agent, or 'unassigned'"></div>
                  <div><label for="reason">Reason contains</label><input id="reason" name="reason" type="text" value="{reason}"></div>
                  <button type="submit">Filter</button>
                </form>
                {Table("Disputes, oldest first (at most 200)", ["Dispute", "Status", "Order", "#Amount", "Reason", "Opened by", "Assigned to", "Opened"], rows, "No disputes match these filters.")}
                """), code, error: error);
        });

    private static string Age(TimeSpan age) =>
        age.TotalDays >= 1 ? $"{(int)age.TotalDays} d {age.Hours} h ago" : age.TotalHours >= 1 ? $"{(int)age.TotalHours} h {age.Minutes} min ago" : $"{Math.Max(0, (int)age.TotalMinutes)} min ago";
}
