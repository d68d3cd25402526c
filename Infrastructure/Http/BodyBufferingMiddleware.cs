using System.Text.Json;
using Microsoft.Net.Http.Headers;
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

        if (request.HasJsonContentType() && !IsUtf8(request))
        {
            throw new ApiException(415, ApiErrors.UnsupportedMediaType, "Send the body as application/json in UTF-8 (charset=utf-8 or none)");
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

        if (request.HasJsonContentType() && HasNulCharacter(body))
        {
            throw ApiErrors.Validation(("body", "strings must not contain the NUL character"));
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

    // JSON is UTF-8 (RFC 8259), and the raw bytes are what the idempotency hash and webhook
    // signatures cover, so any other charset is refused rather than transcoded.
    private static bool IsUtf8(HttpRequest request)
    {
        var charset = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Charset);
        return !charset.HasValue || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
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

    // No text of ours may hold NUL (PostgreSQL cannot store it); JSON can only carry it escaped,
    // so the parse runs only when the escape appears at all.
    private static bool HasNulCharacter(byte[] body)
    {
        if (body.AsSpan().IndexOf("\\u0000"u8) < 0)
        {
            return false;
        }

        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        return HasNul(document.RootElement);
    }

    private static bool HasNul(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!.Contains('\0', StringComparison.Ordinal),
        JsonValueKind.Object => element.EnumerateObject().Any(p => p.Name.Contains('\0', StringComparison.Ordinal) || HasNul(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(HasNul),
        _ => false,
    };

    private static ApiException TooLarge() => ErrorResponses.ForBareStatus(413);
}

/// <summary>The request body as received.</summary>
public sealed record RawBody(byte[] Bytes);
