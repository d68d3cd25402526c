using Mediator;
using OfferHub.Lite.Features.Instance.GetHealth;
using OfferHub.Lite.Features.OperatorConsole.Shell;
using static OfferHub.Lite.Features.OperatorConsole.Shell.ConsoleFormat;

namespace OfferHub.Lite.Features.OperatorConsole.Admin;

/// <summary>This instance's health, as GET /health reports it.</summary>
public static class HealthPage
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapConsole(ConsoleAccess.Admin).MapGet("/admin/health", async (HttpContext http, ISender sender, CancellationToken ct) =>
        {
            var health = await sender.Send(new GetHealth.Query(), ct);
            var rows = health.Checks.Select(c => Html.Of($"""<tr><th scope="row">{c.Key}</th><td>{Status(c.Value)}</td></tr>"""));
            return ConsolePages.Page(http, "Instance health", Html.Of($"""
                <section class="card">
                  <dl class="facts">
                    <dt>Status</dt><dd>{Status(health.Status)}</dd>
                    <dt>Version</dt><dd>{health.Version}</dd>
                    <dt>Instance</dt><dd>{Environment.MachineName}</dd>
                    <dt>Checked</dt><dd>{health.Timestamp}</dd>
                  </dl>
                </section>
                {Table("Checks", ["Check", "Result"], rows, "No checks.")}
                """));
        });
}
