using Mediator;
using OfferHub.Lite.Features.OperatorConsole.Shell;
using OfferHub.Lite.Features.WebhookEndpoints;
using OfferHub.Lite.Features.WebhookEndpoints.CreateWebhookEndpoint;
using OfferHub.Lite.Features.WebhookEndpoints.DeleteWebhookEndpoint;
using OfferHub.Lite.Features.WebhookEndpoints.ListDeliveries;
using OfferHub.Lite.Features.WebhookEndpoints.ListWebhookEndpoints;
using OfferHub.Lite.Features.WebhookEndpoints.RetryDelivery;
using OfferHub.Lite.Infrastructure.Errors;
using static OfferHub.Lite.Features.OperatorConsole.Shell.ConsoleFormat;

namespace OfferHub.Lite.Features.OperatorConsole.Admin;

/// <summary>Outbound webhook endpoints: create (the signing secret is shown once), list, delete;
/// each endpoint's delivery log with a retry button.</summary>
public static class WebhooksPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var admin = app.MapConsole(ConsoleAccess.Admin);
        admin.MapGet("/admin/webhooks", (string? done, HttpContext http, ISender sender, CancellationToken ct) =>
            ListAsync(http, sender, 200, done == "deleted" ? "The endpoint is deleted; its delivery log is kept." : null, null, null, ct));

        admin.MapPost("/admin/webhooks", async (HttpContext http, ISender sender, CancellationToken ct) =>
        {
            var form = http.Form();
            var types = (form.Value("types") ?? string.Empty).Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            try
            {
                var created = await sender.Send(new CreateWebhookEndpoint.Command(form.Value("url"), types, NullIfEmpty(form.Value("description"))), ct);
                return await ListAsync(http, sender, 200, null, null, created, ct);
            }
            catch (ApiException refused) when (refused.Status is >= 400 and < 500)
            {
                return await ListAsync(http, sender, refused.Status, null, ConsolePages.ErrorOf(refused), null, ct);
            }
        });

        admin.MapPost("/admin/webhooks/{id}/delete", async (string id, HttpContext http, ISender sender, CancellationToken ct) =>
        {
            try
            {
                await sender.Send(new DeleteWebhookEndpoint.Command(id), ct);
                return ConsolePages.SeeOther("/console/admin/webhooks?done=deleted");
            }
            catch (ApiException refused) when (refused.Status is >= 400 and < 500)
            {
                return await ListAsync(http, sender, refused.Status, null, ConsolePages.ErrorOf(refused), null, ct);
            }
        });

        admin.MapGet("/admin/webhooks/{id}", (string id, string? done, HttpContext http, ISender sender, CancellationToken ct) =>
            DeliveriesAsync(http, sender, id, 200, done == "retried" ? "The delivery is queued to be sent again." : null, null, ct));

        admin.MapPost("/admin/webhooks/{id}/deliveries/{deliveryId}/retry", async (string id, string deliveryId, HttpContext http, ISender sender, CancellationToken ct) =>
        {
            try
            {
                await sender.Send(new RetryDelivery.Command(deliveryId), ct);
                return ConsolePages.SeeOther($"/console/admin/webhooks/{Uri.EscapeDataString(id)}?done=retried");
            }
            catch (ApiException refused) when (refused.Status is >= 400 and < 500)
            {
                return await DeliveriesAsync(http, sender, id, refused.Status, null, ConsolePages.ErrorOf(refused), ct);
            }
        });
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static async Task<IResult> ListAsync(HttpContext http, ISender sender, int status, string? notice, Html? error, WebhookEndpointResponse? created, CancellationToken ct)
    {
        var viewer = http.Viewer();
        var endpoints = await sender.Send(new ListWebhookEndpoints.Query(), ct);
        var shown = created is null ? Html.Empty : Html.Of($"""
            <section class="card" aria-labelledby="new-secret-h"><h2 id="new-secret-h">Signing secret of {created.Url}</h2>
              <p><strong>Copy this secret now: it is shown only this once.</strong> Your receiver checks each delivery's <code>webhook-signature</code> with it.</p>
              <code class="secret" data-new-secret>{created.Secret}</code>
            </section>
            """);
        var rows = endpoints.Data.Select(e => Html.Of($"""
            <tr><td><a href="/console/admin/webhooks/{e.Id}">{e.Url}</a></td><td>{string.Join(", ", e.Types)}</td><td>{Status(e.Status)}{(e.DisabledReason is { } why ? Html.Of($"<br><span class=\"muted\">{why}</span>") : Html.Empty)}</td><td>{e.Description ?? "–"}</td><td>{e.CreatedAt}</td>
                <td><form method="post" action="/console/admin/webhooks/{e.Id}/delete" data-confirm="Delete the endpoint {e.Url}? No more events are sent to it.">{ConsolePages.FormToken(viewer)}<button type="submit" class="danger" aria-label="Delete {e.Url}">Delete</button></form></td></tr>
            """));
        return ConsolePages.Page(http, "Webhook endpoints", Html.Of($"""
            {shown}
            <form method="post" action="/console/admin/webhooks" class="card">
              <h2>Add an endpoint</h2>
              {ConsolePages.FormToken(viewer)}
              <label for="url">URL</label><input id="url" name="url" type="url" required placeholder="https://marketplace.example/webhooks/offerhub">
              <label for="types">Event types</label><input id="types" name="types" type="text" value="*" required aria-describedby="types-hint">
              <p class="hint" id="types-hint">Separated by commas or spaces; <code>order.*</code> and <code>*</code> are wildcards.</p>
              <label for="description">Description</label><input id="description" name="description" type="text" maxlength="500">
              <button type="submit">Add endpoint</button>
            </form>
            {Table("Webhook endpoints", ["URL", "Types", "Status", "Description", "Created", "Action"], rows, "No webhook endpoints yet.")}
            """), status, notice, error);
    }

    private static async Task<IResult> DeliveriesAsync(HttpContext http, ISender sender, string id, int status, string? notice, Html? error, CancellationToken ct)
    {
        var viewer = http.Viewer();
        var endpoint = (await sender.Send(new ListWebhookEndpoints.Query(), ct)).Data.FirstOrDefault(e => e.Id == id);
        var deliveries = await sender.Send(new ListDeliveries.Query(id, "50", null), ct);
        var rows = deliveries.Data.Select(d => Html.Of($"""
            <tr><td><code>{d.Id}</code></td><td><code>{d.EventId}</code></td><td>{Status(d.Status)}</td><td class="num">{d.Attempts}</td><td>{(d.LastStatus is { } code ? Html.Of($"{code}") : Html.Of($"–"))}</td>
                <td>{(d.AttemptLog.Count > 0 ? Html.Of($"{d.AttemptLog[^1].Error ?? d.AttemptLog[^1].ResponseSnippet ?? ""}") : Html.Empty)}</td><td>{d.NextAttemptAt}</td><td>{d.DeliveredAt}</td>
                <td><form method="post" action="/console/admin/webhooks/{id}/deliveries/{d.Id}/retry">{ConsolePages.FormToken(viewer)}<button type="submit" class="secondary" aria-label="Retry {d.Id}">Retry</button></form></td></tr>
            """));
        return ConsolePages.Page(http, "Deliveries to " + (endpoint?.Url ?? id), Html.Of($"""
            <p><a href="/console/admin/webhooks">All endpoints</a></p>
            {Table("Latest 50 deliveries, newest first", ["Delivery", "Event", "Status", "#Attempts", "Last HTTP status", "Last answer", "Next attempt", "Delivered"], rows, "Nothing has been delivered to this endpoint yet.")}
            """), status, notice, error);
    }
}
