using System.Security.Cryptography;
using System.Text;
using Mediator;
using OfferHub.Lite.Features.Maintenance.GetMaintenance;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.OperatorConsole.Shell;

/// <summary>Around every console route: security headers; the session (else the sign-in page);
/// master-only pages; the form token on every POST (CSRF); maintenance for actions; and every error
/// as a page of the console with its 4xx status, or a plain 500 page that names only the request id.</summary>
public sealed partial class ConsoleFilter(Db db, ApiKeyAuthenticator keys, OfferHubOptions options, TimeProvider clock, ISender sender, RequestContext request, ILogger<ConsoleFilter> logger)
    : IEndpointFilter
{
    public const string FormTokenField = "form_token";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        SecurityHeaders(http.Response);
        var route = http.GetEndpoint()?.Metadata.GetMetadata<ConsoleRoute>() ?? new ConsoleRoute(ConsoleAccess.Admin);
        var posting = HttpMethods.IsPost(http.Request.Method);
        try
        {
            if (posting)
            {
                if (!http.Request.HasFormContentType)
                {
                    return ConsolePages.Problem(http, 415, "Unsupported form", "Console forms are sent as application/x-www-form-urlencoded.");
                }

                http.Features.Set(new ConsoleForm(await http.Request.ReadFormAsync(http.RequestAborted)));
            }

            if (route.Access == ConsoleAccess.Public)
            {
                return await next(context);
            }

            var maintenance = await sender.Send(new GetMaintenance.Query(), http.RequestAborted);
            var session = await ConsoleSessions.ResumeAsync(http, db, keys, options.Console, clock, http.RequestAborted);
            if (session is not { } live)
            {
                return posting
                    ? ConsolePages.Problem(http, 401, "Signed out", "Your console session has ended. Sign in again, then repeat the action.")
                    : Results.Redirect(ConsoleRoutes.Base + "/sign-in?next=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString));
            }

            var viewer = new ConsoleViewer(live.Id, live.Caller, live.FormToken, maintenance.Enabled, maintenance.Message);
            http.Features.Set(viewer);
            request.Actor = viewer.Actor;
            request.IdempotencyOwner = live.Caller.IdempotencyOwner;

            if (posting && !SameToken(http.Features.Get<ConsoleForm>()!.Value(FormTokenField), live.FormToken))
            {
                LogForgedForm(http.Request.Path);
                return ConsolePages.Problem(http, 403, "Form refused", "This form did not come from your console session (or the page is too old). Reload the page and try again.");
            }

            if (route.Access == ConsoleAccess.Admin && !viewer.IsAdmin)
            {
                return ConsolePages.Problem(http, 403, "Master key needed", "This page is for the marketplace admin: sign in with the master key to use it.");
            }

            if (posting && maintenance.Enabled && !route.DuringMaintenance)
            {
                http.Response.Headers.RetryAfter = "60";
                return ConsolePages.Problem(http, 503, "Maintenance", "The service is in maintenance mode, so actions are paused: " + maintenance.Message);
            }

            return await next(context);
        }
        catch (ApiException error)
        {
            return ConsolePages.Problem(http, error.Status, "Not possible", ConsolePages.Describe(error));
        }
        catch (BadHttpRequestException bad)
        {
            return ConsolePages.Problem(http, bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400, "Bad request", "The request could not be read.");
        }
        catch (Exception unexpected) when (unexpected is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            LogUnexpected(unexpected, http.Request.Method, http.Request.Path);
            return ConsolePages.Problem(http, 500, "Something went wrong", $"Something went wrong on our side. Request id: {request.RequestId}.");
        }
    }

    /// <summary>Pages are never cached or framed, scripts and styles come only from the console itself.</summary>
    private static void SecurityHeaders(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers["Content-Security-Policy"] =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["X-Frame-Options"] = "DENY";
    }

    public static bool SameToken(string? presented, string expected) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console form refused: wrong or missing form token on {Path}")]
    private partial void LogForgedForm(string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Console error for {Method} {Path}")]
    private partial void LogUnexpected(Exception exception, string method, string path);
}

/// <summary>The posted form of a console request, read once by the filter.</summary>
public sealed class ConsoleForm(IFormCollection form)
{
    public string? Value(string name) => form.TryGetValue(name, out var values) && values.Count == 1 ? values.ToString().Trim() : null;

    public IReadOnlyList<string> Values(string name) => form.TryGetValue(name, out var values) ? values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList() : [];
}

public static class ConsoleHttpExtensions
{
    public static ConsoleViewer Viewer(this HttpContext http) =>
        http.Features.Get<ConsoleViewer>() ?? throw new InvalidOperationException("Console route without a session.");

    public static ConsoleForm Form(this HttpContext http) =>
        http.Features.Get<ConsoleForm>() ?? throw new InvalidOperationException("Console route without a form.");
}
