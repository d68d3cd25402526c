using OfferHub.Lite.Features.OperatorConsole.Shell;
using OfferHub.Lite.Infrastructure.Audit;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.RateLimiting;

namespace OfferHub.Lite.Features.OperatorConsole.SignIn;

/// <summary>Sign-in with an API key that has the support scope (or the master key, for the admin
/// pages), and sign-out. The key travels once, in the POST body, and is never kept: the session
/// cookie stands for it. Attempts are limited per client address.</summary>
public static class SignInPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var open = app.MapConsole(ConsoleAccess.Public);
        open.MapGet("/sign-in", (HttpContext http, string? next) => Form(http, next, 200, null));
        open.MapPost("/sign-in", SignInAsync).DuringMaintenance(ConsoleAccess.Public);
        app.MapConsole().MapPost("/sign-out", async (HttpContext http, Db db, TimeProvider clock, CancellationToken ct) =>
        {
            await ConsoleSessions.EndAsync(http, db, http.Viewer().SessionId, clock, ct);
            return ConsolePages.SeeOther("/console/sign-in?signed_out=1");
        }).DuringMaintenance(ConsoleAccess.Support);
    }

    private static async Task<IResult> SignInAsync(
        HttpContext http, Db db, ApiKeyAuthenticator keys, RateLimitCounters counters, OfferHubOptions options, TimeProvider clock, RequestContext request, AuditLog audit, CancellationToken ct)
    {
        var form = http.Form();
        var next = form.Value("next");
        if (!ConsoleFilter.SameToken(form.Value("signin_token"), http.Request.Cookies[ConsoleSessions.SignInCookie] ?? string.Empty)
            || string.IsNullOrEmpty(http.Request.Cookies[ConsoleSessions.SignInCookie]))
        {
            return Form(http, next, 403, "This sign-in form is too old or did not come from this console. Try again.");
        }

        var limit = options.Console.SignInAttemptsPerMinute;
        var hit = await counters.HitAsync("console-sign-in:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), limit);
        if (!hit.Allowed)
        {
            var wait = Math.Max(1, (int)Math.Ceiling((hit.Reset - clock.GetUtcNow()).TotalSeconds));
            http.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Form(http, next, 429, $"Too many sign-in attempts from this address. Wait {wait} seconds, then try again.");
        }

        var key = form.Value("api_key");
        if (string.IsNullOrEmpty(key))
        {
            return Form(http, next, 400, "Enter an API key.");
        }

        var caller = await keys.FindAsync(key, ct);
        if (caller is null)
        {
            return Form(http, next, 401, "That key is not valid: it is unknown, revoked or expired. Check it and try again.");
        }

        if (!caller.Scopes.Contains(Scopes.Support))
        {
            return Form(http, next, 403, "That key has no support scope. The console needs a key with the support scope, or the master key.");
        }

        request.Actor = caller.Scopes.Contains(Scopes.Master) ? caller.Actor : new Actor("support", caller.KeyId);
        await ConsoleSessions.StartAsync(http, db, caller, clock, ct);
        await using (var scope = db.BeginScope())
        {
            await audit.WriteAsync(new AuditEntry("CONSOLE_SIGN_IN", "api_key", caller.KeyId, Success: true), ct);
            await scope.CompleteAsync();
        }

        return ConsolePages.SeeOther(SafeNext(next));
    }

    /// <summary>Only a console path: never another site.</summary>
    private static string SafeNext(string? next) =>
        next is { Length: > 0 } path && path.StartsWith("/console", StringComparison.Ordinal) && !path.StartsWith("//", StringComparison.Ordinal)
            && !path.Contains('\\', StringComparison.Ordinal) && !path.StartsWith("/console/sign-", StringComparison.Ordinal)
            ? path
            : "/console";

    private static IResult Form(HttpContext http, string? next, int status, string? error)
    {
        // Double-submit token: a page of another site cannot read this cookie to copy it into its form.
        var token = ConsoleSessions.NewSecret();
        http.Response.Cookies.Append(ConsoleSessions.SignInCookie, token, ConsoleSessions.CookieOptions(http));
        var signedOut = http.Request.Query.ContainsKey("signed_out");
        var content = Html.Of($"""
            <form method="post" action="/console/sign-in" class="card narrow">
              <input type="hidden" name="signin_token" value="{token}">
              <input type="hidden" name="next" value="{SafeNext(next)}">
              <p>Use an API key with the <code>support</code> scope to handle disputes and look things up,
                 or the master key for the admin pages. The key is checked once and not kept: a session
                 cookie stands for it until you sign out or stop using the console for a while.</p>
              <label for="api_key">API key</label>
              <input id="api_key" name="api_key" type="password" autocomplete="current-password" required autofocus spellcheck="false">
              <button type="submit">Sign in</button>
            </form>
            """);
        return ConsolePages.Page(http, "Sign in", content, status,
            notice: signedOut && error is null ? "You are signed out." : null,
            error: error is null ? null : Html.Of($"<p>{error}</p>"));
    }
}
