using System.Text.Json;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Features.OperatorConsole.Shell;

/// <summary>The page frame (navigation, banners, sign-out) and the result that writes it.</summary>
public static class ConsolePages
{
    private static readonly (string Path, string Label, bool AdminOnly)[] Navigation =
    [
        ("/console", "Overview", false),
        ("/console/disputes", "Disputes", false),
        ("/console/lookup", "Look-up", false),
        ("/console/admin/keys", "API keys", true),
        ("/console/admin/webhooks", "Webhooks", true),
        ("/console/admin/maintenance", "Maintenance", true),
        ("/console/admin/operations", "Operations", true),
        ("/console/admin/health", "Health", true),
    ];

    /// <summary>A full page with the console's frame; <paramref name="notice"/> and <paramref name="error"/> show as banners above the content.</summary>
    public static IResult Page(HttpContext http, string title, Html content, int status = 200, string? notice = null, Html? error = null)
    {
        var viewer = http.Features.Get<ConsoleViewer>();
        var path = http.Request.Path.Value ?? "/console";
        var nav = viewer is null ? Html.Empty : Html.Join(Navigation
            .Where(n => !n.AdminOnly || viewer.IsAdmin)
            .Select(n =>
            {
                var current = n.Path == "/console" ? path is "/console" or "/console/" : path.StartsWith(n.Path, StringComparison.Ordinal);
                return Html.Of($"""<li><a href="{n.Path}"{(current ? new Html(" aria-current=\"page\"") : Html.Empty)}>{n.Label}</a></li>""");
            }));
        var account = viewer is null ? Html.Empty : Html.Of($"""
            <div class="account">
              <span>Signed in as <strong>{viewer.DisplayName}</strong>{(viewer.IsAdmin ? Html.Of($" (admin)") : Html.Of($" (support)"))}</span>
              <form method="post" action="/console/sign-out">{FormToken(viewer)}<button type="submit" class="link">Sign out</button></form>
            </div>
            """);
        var maintenance = viewer is { MaintenanceOn: true }
            ? Html.Of($"""<p class="banner warn" role="status"><strong>Maintenance is on:</strong> {viewer.MaintenanceMessage} Actions are paused until it is switched off.</p>""")
            : Html.Empty;
        var noticeBanner = notice is null ? Html.Empty : Html.Of($"""<p class="banner ok" role="status">{notice}</p>""");
        var errorBanner = error is { } problem ? Html.Of($"""<div class="banner error" role="alert" tabindex="-1" id="problem">{problem}</div>""") : Html.Empty;
        var body = Html.Of($$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{{title}} · OfferHub console</title>
              <link rel="stylesheet" href="/console/assets/console.css">
              <script src="/console/assets/console.js" defer></script>
            </head>
            <body>
              <a class="skip" href="#main">Skip to content</a>
              <header class="top">
                <a class="brand" href="/console">OfferHub console</a>
                {{account}}
              </header>
              {{Html.When(viewer is not null, Html.Of($"""<nav aria-label="Console"><ul>{nav}</ul></nav>"""))}}
              <main id="main" tabindex="-1">
                {{maintenance}}{{noticeBanner}}{{errorBanner}}
                <h1>{{title}}</h1>
                {{content}}
              </main>
            </body>
            </html>
            """);
        return Results.Content(body.Value, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>A page that only explains what went wrong, with its status.</summary>
    public static IResult Problem(HttpContext http, int status, string title, string message) =>
        Page(http, title, Html.Of($"""<p><a href="/console">Back to the console</a></p>"""), status, error: Html.Of($"<p>{message}</p>"));

    /// <summary>An error of the API, in words: its message, and the fields it names.</summary>
    public static string Describe(ApiException error)
    {
        var text = error.Message.TrimEnd('.') + ".";
        if (error.Details.TryGetValue("fields", out var raw) && raw is IEnumerable<Dictionary<string, object?>> fields)
        {
            text += " " + string.Join(" ", fields.Select(f => $"{f["field"]}: {f["message"]}."));
        }
        else if (error.Details.Count > 0)
        {
            text += " (" + string.Join(", ", error.Details.Select(d => $"{d.Key}: {Detail(d.Value)}")) + ")";
        }

        return text;
    }

    /// <summary>An error banner with the API's error in words.</summary>
    public static Html ErrorOf(ApiException error) => Html.Of($"<p>{Describe(error)}</p>");

    public static Html FormToken(ConsoleViewer viewer) =>
        Html.Of($"""<input type="hidden" name="{ConsoleFilter.FormTokenField}" value="{viewer.FormToken}">""");

    /// <summary>A one-use key for an idempotent action, made when the form is drawn: submitting twice is one action.</summary>
    public static Html IdempotencyKey() =>
        Html.Of($"""<input type="hidden" name="idempotency_key" value="{Guid.NewGuid().ToString()}">""");

    /// <summary>303: after a successful action the browser loads the page again with GET.</summary>
    public static IResult SeeOther(string location) => new SeeOtherResult(location);

    private static string Detail(object? value) => value switch
    {
        null => "none",
        string text => text,
        _ => JsonSerializer.Serialize(value),
    };
}

public sealed class SeeOtherResult(string location) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = location;
        return Task.CompletedTask;
    }
}
