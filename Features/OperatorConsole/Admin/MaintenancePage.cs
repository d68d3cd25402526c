using Mediator;
using OfferHub.Lite.Features.Maintenance.GetMaintenance;
using OfferHub.Lite.Features.Maintenance.SetMaintenance;
using OfferHub.Lite.Features.OperatorConsole.Shell;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Features.OperatorConsole.Admin;

/// <summary>The maintenance switch of the CLI, for every instance: on with a message, or off.</summary>
public static class MaintenancePage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var admin = app.MapConsole(ConsoleAccess.Admin);
        admin.MapGet("/admin/maintenance", (string? done, HttpContext http, ISender sender, CancellationToken ct) =>
            RenderAsync(http, sender, 200, done switch { "on" => "Maintenance is on.", "off" => "Maintenance is off.", _ => null }, null, ct));

        admin.MapPost("/admin/maintenance", async (HttpContext http, ISender sender, CancellationToken ct) =>
        {
            var form = http.Form();
            var enabled = form.Value("enabled");
            try
            {
                if (enabled is not ("on" or "off"))
                {
                    throw ApiErrors.Validation(("enabled", "must be on or off"));
                }

                var message = form.Value("message");
                await sender.Send(new SetMaintenance.Command(enabled == "on", string.IsNullOrEmpty(message) ? null : message), ct);
                return ConsolePages.SeeOther("/console/admin/maintenance?done=" + enabled);
            }
            catch (ApiException refused) when (refused.Status is >= 400 and < 500)
            {
                return await RenderAsync(http, sender, refused.Status, null, ConsolePages.ErrorOf(refused), ct);
            }
        }).DuringMaintenance(ConsoleAccess.Admin);
    }

    private static async Task<IResult> RenderAsync(HttpContext http, ISender sender, int status, string? notice, Html? error, CancellationToken ct)
    {
        var viewer = http.Viewer();
        var state = await sender.Send(new GetMaintenance.Query(), ct);
        var form = state.Enabled
            ? Html.Of($"""
                <form method="post" action="/console/admin/maintenance" class="card">
                  {ConsolePages.FormToken(viewer)}<input type="hidden" name="enabled" value="off">
                  <p>Maintenance has been on since {state.Since}: “{state.Message}”.</p>
                  <button type="submit">Switch maintenance off</button>
                </form>
                """)
            : Html.Of($"""
                <form method="post" action="/console/admin/maintenance" class="card" data-confirm="Switch maintenance on? Every change through the API is refused until it is off.">
                  {ConsolePages.FormToken(viewer)}<input type="hidden" name="enabled" value="on">
                  <p>Maintenance is off. While it is on, every instance refuses changes through the API (503 MAINTENANCE with your message); reads and provider callbacks go on.</p>
                  <label for="message">Message for API clients</label>
                  <input id="message" name="message" type="text" maxlength="500" placeholder="e.g. Back at 10:00 UTC">
                  <button type="submit" class="danger">Switch maintenance on</button>
                </form>
                """);
        return ConsolePages.Page(http, "Maintenance", form, status, notice, error);
    }
}
