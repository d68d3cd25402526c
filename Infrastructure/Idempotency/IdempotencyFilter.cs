using System.Security.Cryptography;
using System.Text;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Infrastructure.Idempotency;

/// <summary>The Idempotency-Key semantics of api.md around an endpoint: claim the key, run the
/// endpoint inside one unit of work, store its status and body in that same transaction, and
/// answer repeats from the stored bytes.</summary>
public sealed class IdempotencyFilter : IEndpointFilter
{
    public const string Header = "Idempotency-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var policy = http.GetEndpoint()?.Metadata.GetMetadata<IdempotencyPolicy>()
            ?? throw new InvalidOperationException("IdempotencyFilter needs IdempotencyPolicy metadata.");
        var request = http.RequestServices.GetRequiredService<RequestContext>();
        var store = http.RequestServices.GetRequiredService<IdempotencyStore>();
        var db = http.RequestServices.GetRequiredService<Db>();
        var key = ReadKey(http);
        var ct = http.RequestAborted;

        var claim = await store.ClaimAsync(request.IdempotencyOwner, key, RequestHash(http), ct);
        http.Response.Headers["X-Idempotency-Key"] = key;
        switch (claim)
        {
            case Claim.Replay replay:
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return new StoredJsonResult(replay.Status, replay.Body);
            case Claim.Reused:
                throw new ApiException(409, ApiErrors.IdempotencyKeyReused, "This Idempotency-Key was used for a different request");
            case Claim.InProgress:
                throw new ApiException(409, ApiErrors.IdempotencyKeyInProgress, "A request with this Idempotency-Key is still being processed");
        }

        var acquired = (Claim.Acquired)claim;
        var token = acquired.LockToken;
        request.IdempotencyKey = key;
        request.IdempotencyResumed = acquired.Resumed;
        try
        {
            await using var scope = db.BeginScope();
            var (status, body) = Materialize(await next(context));
            if (!await store.CompleteAsync(request.IdempotencyOwner, key, token, status, body, policy.Retention, ct))
            {
                throw new ApiException(409, ApiErrors.IdempotencyKeyInProgress, "A retry of this request took over its Idempotency-Key");
            }

            await scope.CompleteAsync();
            return new StoredJsonResult(status, body);
        }
        catch
        {
            await store.ReleaseAsync(request.IdempotencyOwner, key, token);
            throw;
        }
    }

    private static string ReadKey(HttpContext http)
    {
        var values = http.Request.Headers[Header];
        var key = values.ToString();
        if (values.Count != 1 || key.Length is < 1 or > 255 || key.Any(c => c is < '!' or > '~'))
        {
            throw ApiErrors.Validation((Header, "header is required: 1 to 255 printable ASCII characters, e.g. a UUID"));
        }

        return key;
    }

    private static string RequestHash(HttpContext http)
    {
        var body = http.Features.Get<RawBody>()?.Bytes ?? [];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{http.Request.Method}\n{http.Request.Path}{http.Request.QueryString}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static (int Status, string Body) Materialize(object? result) => result switch
    {
        IValueHttpResult valued => ((result as IStatusCodeHttpResult)?.StatusCode ?? 200, Encoding.UTF8.GetString(ApiJson.SerializeToUtf8Bytes(valued.Value))),
        _ => throw new InvalidOperationException("Idempotent endpoints return a JSON value result."),
    };
}

/// <summary>A JSON body written exactly as stored, so a replay is byte-for-byte the original.</summary>
public sealed class StoredJsonResult(int status, string body) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => status;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await httpContext.Response.WriteAsync(body, Encoding.UTF8, httpContext.RequestAborted);
    }
}
