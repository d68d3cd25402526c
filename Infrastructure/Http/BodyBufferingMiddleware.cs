using System.Text.Json;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Infrastructure.Http;

/// <summary>Reads each request body once, up front: enforces the size limit (413), refuses
/// malformed JSON (400 INVALID_JSON) before model binding, and keeps the raw bytes for the
/// idempotency request hash and webhook signatures.</summary>
public sealed class BodyBufferingMiddleware(RequestDelegate next, OfferHubOptions options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding")))
        {
            context.Features.Set(new RawBody([]));
            await next(context);
            return;
        }

        if (request.ContentLength > options.MaxBodyBytes)
        {
            throw TooLarge();
        }

        var body = await ReadBoundedAsync(request.Body, options.MaxBodyBytes, context.RequestAborted);
        context.Features.Set(new RawBody(body));
        request.Body = new MemoryStream(body, writable: false);

        // The built-in simulators (/sim/…) answer malformed JSON with their provider's own error body.
        if (request.HasJsonContentType() && !request.Path.StartsWithSegments("/sim") && !IsJson(body))
        {
            throw new ApiException(400, ApiErrors.InvalidJson, "The request body is not valid JSON");
        }

        await next(context);
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream body, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool IsJson(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static ApiException TooLarge() => ErrorResponses.ForBareStatus(413);
}

/// <summary>The request body as received.</summary>
public sealed record RawBody(byte[] Bytes);
