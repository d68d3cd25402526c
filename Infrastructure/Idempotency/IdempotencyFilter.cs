using System.Text;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.Idempotency;

/// <summary>The Idempotency-Key semantics of api.md around an endpoint (see <see cref="IdempotentExecution"/>):
/// the key comes from the header, the hash from the raw request.</summary>
public sealed class IdempotencyFilter : IEndpointFilter
{
    public const string Header = "Idempotency-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var policy = http.GetEndpoint()?.Metadata.GetMetadata<IdempotencyPolicy>()
            ?? throw new InvalidOperationException("IdempotencyFilter needs IdempotencyPolicy metadata.");
        var execution = http.RequestServices.GetRequiredService<IdempotentExecution>();
        var key = ReadKey(http);
        var hash = IdempotentExecution.RequestHash(http.Request.Method, $"{http.Request.Path}{http.Request.QueryString}", http.Features.Get<RawBody>()?.Bytes ?? []);

        http.Response.Headers["X-Idempotency-Key"] = key;
        var outcome = await execution.RunAsync(key, hash, policy, async () => Materialize(await next(context)), http.RequestAborted);
        if (outcome.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return new StoredJsonResult(outcome.Status, outcome.Body);
    }

    private static string ReadKey(HttpContext http)
    {
        var values = http.Request.Headers[Header];
        var key = values.ToString();
        if (values.Count != 1 || !IdempotentExecution.IsValidKey(key))
        {
            throw ApiErrors.Validation((Header, "header is required: 1 to 255 printable ASCII characters, e.g. a UUID"));
        }

        return key;
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
