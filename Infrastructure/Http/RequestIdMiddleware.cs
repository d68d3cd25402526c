using System.Text.RegularExpressions;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.Http;

/// <summary>Echoes a sane X-Request-ID (or makes one) and puts it in every log line and on the span of the request.</summary>
public sealed partial class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex Acceptable();

    public async Task InvokeAsync(HttpContext context, RequestContext request)
    {
        var supplied = context.Request.Headers[RequestContext.RequestIdHeader].ToString();
        request.RequestId = Acceptable().IsMatch(supplied) ? supplied : "req_" + Guid.NewGuid().ToString("N");
        System.Diagnostics.Activity.Current?.SetTag("offerhub.request_id", request.RequestId);
        request.Ip = context.Connection.RemoteIpAddress?.ToString();
        var userAgent = context.Request.Headers.UserAgent.ToString();
        request.UserAgent = userAgent.Length > 512 ? userAgent[..512] : userAgent;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[RequestContext.RequestIdHeader] = request.RequestId;
            return Task.CompletedTask;
        });
        using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = request.RequestId }))
        {
            await next(context);
        }
    }
}
