using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.OperatorConsole.Shell;

/// <summary>Who is using the console in this request: the key that signed in (never the key itself)
/// and the token that this session's forms carry.</summary>
public sealed record ConsoleViewer(string SessionId, Caller Caller, string FormToken, bool MaintenanceOn, string? MaintenanceMessage)
{
    public bool IsAdmin => Caller.Scopes.Contains(Scopes.Master);

    public string DisplayName => IsAdmin ? "master key" : Caller.Name ?? Caller.KeyId;

    /// <summary>The console acts as a support agent (actor <c>support</c>) or, signed in with the master key, as <c>master</c>.</summary>
    public Actor Actor => IsAdmin ? Caller.Actor : new Actor("support", Caller.KeyId);
}

/// <summary>Console sign-ins, kept in the database so that every instance knows them and sign-out
/// ends them everywhere. The cookie holds 256 random bits; only their SHA-256 is stored. A session
/// ends when idle too long, when too old, when signed out, or when its key is revoked.</summary>
public static class ConsoleSessions
{
    public const string Cookie = "offerhub_console";
    public const string SignInCookie = "offerhub_console_signin";
    public const string CookiePath = "/console";

    private const string InsertSql = """
        INSERT INTO console_sessions (id, token_hash, key_id, form_token, created_at, last_seen_at)
        VALUES (@id, @hash, @keyId, @formToken, @now, @now)
        """;

    private const string FindSql = """
        SELECT id, key_id, form_token, created_at, last_seen_at FROM console_sessions
        WHERE token_hash = @hash AND signed_out_at IS NULL
        """;

    // Written at most once a minute per session, to keep page views off the writer.
    private const string TouchSql = "UPDATE console_sessions SET last_seen_at = @now WHERE id = @id AND last_seen_at < @staleBefore";
    private const string SignOutSql = "UPDATE console_sessions SET signed_out_at = @now WHERE id = @id AND signed_out_at IS NULL";

    public static string NewSecret() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>Starts a session for <paramref name="caller"/> and sets its cookie.</summary>
    public static async Task StartAsync(HttpContext http, Db db, Caller caller, TimeProvider clock, CancellationToken ct)
    {
        var token = NewSecret();
        await using (var scope = db.BeginScope())
        {
            await db.ExecuteAsync(InsertSql, new { id = Ids.New("cs"), hash = ApiKeySecrets.Hash(token), keyId = caller.KeyId, formToken = NewSecret(), now = clock.NowMs() }, ct);
            await scope.CompleteAsync();
        }

        http.Response.Cookies.Append(Cookie, token, CookieOptions(http));
        http.Response.Cookies.Delete(SignInCookie, CookieOptions(http));
    }

    /// <summary>The live session of this request, or null (no cookie, unknown, ended, or its key revoked).</summary>
    public static async Task<(string Id, Caller Caller, string FormToken)?> ResumeAsync(HttpContext http, Db db, ApiKeyAuthenticator keys, ConsoleOptions options, TimeProvider clock, CancellationToken ct)
    {
        if (http.Request.Cookies[Cookie] is not { Length: > 0 } token)
        {
            return null;
        }

        var row = await db.QuerySingleOrDefaultAsync<SessionRow>(FindSql, new { hash = ApiKeySecrets.Hash(token) }, ct);
        var now = clock.NowMs();
        if (row is null || now - row.LastSeenAt > options.SessionIdleMinutes * 60_000L || now - row.CreatedAt > options.SessionMaxHours * 3_600_000L)
        {
            return null;
        }

        var caller = await keys.FindByIdAsync(row.KeyId, ct);
        if (caller is null || !caller.Scopes.Contains(Scopes.Support))
        {
            return null;
        }

        if (now - row.LastSeenAt > 60_000)
        {
            await using var scope = db.BeginScope();
            await db.ExecuteAsync(TouchSql, new { id = row.Id, now, staleBefore = now - 60_000 }, ct);
            await scope.CompleteAsync();
        }

        return (row.Id, caller, row.FormToken);
    }

    public static async Task EndAsync(HttpContext http, Db db, string sessionId, TimeProvider clock, CancellationToken ct)
    {
        await using (var scope = db.BeginScope())
        {
            await db.ExecuteAsync(SignOutSql, new { id = sessionId, now = clock.NowMs() }, ct);
            await scope.CompleteAsync();
        }

        http.Response.Cookies.Delete(Cookie, CookieOptions(http));
    }

    /// <summary>HttpOnly, SameSite=Strict, Secure when the request came over HTTPS, scoped to the console, no expiry (ends with the browser).</summary>
    public static CookieOptions CookieOptions(HttpContext http) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = CookiePath,
        IsEssential = true,
    };

    private sealed record SessionRow(string Id, string KeyId, string FormToken, long CreatedAt, long LastSeenAt);
}
