using Mediator;
using OfferHub.Lite.Features.ApiKeys.CreateApiKey;
using OfferHub.Lite.Features.ApiKeys.ListApiKeys;
using OfferHub.Lite.Features.ApiKeys.RevokeApiKey;
using OfferHub.Lite.Features.OperatorConsole.Shell;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Errors;
using static OfferHub.Lite.Features.OperatorConsole.Shell.ConsoleFormat;

namespace OfferHub.Lite.Features.OperatorConsole.Admin;

/// <summary>API keys for the marketplace admin: create (the key is shown once, on the page that
/// answers the form, never in a URL), list, revoke. The API's own commands, audited as the master key.</summary>
public static class ApiKeysPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var admin = app.MapConsole(ConsoleAccess.Admin);
        admin.MapGet("/admin/keys", (string? done, HttpContext http, ISender sender, CancellationToken ct) =>
            RenderAsync(http, sender, 200, done == "revoked" ? "The key is revoked: it no longer works anywhere." : null, null, null, ct));

        admin.MapPost("/admin/keys", async (HttpContext http, ISender sender, CancellationToken ct) =>
        {
            var form = http.Form();
            try
            {
                var created = await sender.Send(new CreateApiKey.Command(form.Value("name"), form.Values("scopes")), ct);
                return await RenderAsync(http, sender, 200, null, null, created, ct);
            }
            catch (ApiException refused) when (refused.Status is >= 400 and < 500)
            {
                return await RenderAsync(http, sender, refused.Status, null, ConsolePages.ErrorOf(refused), null, ct);
            }
        });

        admin.MapPost("/admin/keys/{id}/revoke", async (string id, HttpContext http, ISender sender, CancellationToken ct) =>
        {
            try
            {
                await sender.Send(new RevokeApiKey.Command(id), ct);
                return ConsolePages.SeeOther("/console/admin/keys?done=revoked");
            }
            catch (ApiException refused) when (refused.Status is >= 400 and < 500)
            {
                return await RenderAsync(http, sender, refused.Status, null, ConsolePages.ErrorOf(refused), null, ct);
            }
        });
    }

    private static async Task<IResult> RenderAsync(HttpContext http, ISender sender, int status, string? notice, Html? error, CreateApiKey.Result? created, CancellationToken ct)
    {
        var viewer = http.Viewer();
        var keys = await sender.Send(new ListApiKeys.Query("100", null), ct);
        var shown = created is null ? Html.Empty : Html.Of($"""
            <section class="card" aria-labelledby="new-key-h"><h2 id="new-key-h">New key “{created.Name}”</h2>
              <p><strong>Copy this key now: it is shown only this once.</strong> Only its hash is stored.</p>
              <code class="secret" id="new-key" data-new-key>{created.ApiKey}</code>
              <p class="hint">Id <code>{created.Id}</code>, scopes {string.Join(", ", created.Scopes)}.</p>
            </section>
            """);
        var scopes = Html.Join(Scopes.Grantable.Select(s => Html.Of($"""<label class="choice"><input type="checkbox" name="scopes" value="{s}"> {s}</label>""")));
        var rows = keys.Data.Select(k => Html.Of($"""
            <tr><td>{k.Name ?? "–"}</td><td><code>{k.Id}</code></td><td><code>{k.KeyPrefix}…</code></td><td>{string.Join(", ", k.Scopes)}</td><td>{Status(k.Status)}</td>
                <td>{k.CreatedAt}</td><td>{k.LastUsedAt}</td>
                <td>{(k.Status == "active" ? Html.Of($"""<form method="post" action="/console/admin/keys/{k.Id}/revoke" data-confirm="Revoke the key “{k.Name}”? Everything using it stops working.">{ConsolePages.FormToken(viewer)}<button type="submit" class="danger" aria-label="Revoke {k.Name}">Revoke</button></form>""") : Html.Empty)}</td></tr>
            """));
        return ConsolePages.Page(http, "API keys", Html.Of($"""
            {shown}
            <form method="post" action="/console/admin/keys" class="card">
              <h2>Create a key</h2>
              {ConsolePages.FormToken(viewer)}
              <label for="name">Name</label><input id="name" name="name" type="text" required maxlength="100" placeholder="e.g. backend, support-ana">
              <fieldset><legend>Scopes</legend>{scopes}</fieldset>
              <button type="submit">Create key</button>
            </form>
            {Table("API keys, newest first", ["Name", "Id", "Key", "Scopes", "Status", "Created", "Last used", "Action"], rows, "No API keys yet.")}
            """), status, notice, error);
    }
}
