using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.Webhooks;

/// <summary>How one provider's callbacks are signed, checked over the raw body.</summary>
public sealed record WebhookSigner(string Provider, Func<OfferHubOptions, IHeaderDictionary, byte[], DateTimeOffset, bool> Verify);

public static class SignedWebhooks
{
    /// <summary>Svix (Standard Webhooks): svix-id, svix-timestamp within tolerance, svix-signature.</summary>
    public static readonly WebhookSigner Airtm = new("airtm", (options, headers, body, now) =>
        options.Airtm.WebhookSecret is { } secret
        && WebhookSignature.Verify(secret, headers["svix-id"], headers["svix-timestamp"], headers["svix-signature"], body, now,
            TimeSpan.FromSeconds(options.Airtm.WebhookToleranceSeconds)));

    /// <summary>TW-Signature: hex HMAC-SHA256 of the raw body with TRUSTLESS_WEBHOOK_SECRET.</summary>
    public static readonly WebhookSigner TrustlessWork = new("trustless_work", (options, headers, body, _) =>
        options.Trustless.WebhookSecret is { } secret && headers["TW-Signature"].ToString() is { Length: 64 } given
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given.ToLowerInvariant()),
            Encoding.ASCII.GetBytes(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)))));

    /// <summary>Refuses, before anything runs, a callback whose signature does not verify:
    /// 401 WEBHOOK_SIGNATURE_INVALID, nothing changes.</summary>
    public static RouteHandlerBuilder RequireWebhookSignature(this RouteHandlerBuilder builder, WebhookSigner signer) =>
        builder.WithMetadata(signer).AddEndpointFilter<SignedWebhookFilter>();
}

/// <summary>Verifies the signature, then runs the intake. A verified body that is not JSON is a
/// 400; one that is JSON but does not fit what we hold is acknowledged as an anomaly (see
/// <see cref="WebhookAnomalies"/>), since the provider's retries could never make it fit.</summary>
public sealed class SignedWebhookFilter(OfferHubOptions options, TimeProvider clock, RequestContext request, WebhookAnomalies anomalies) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var signer = http.GetEndpoint()!.Metadata.GetMetadata<WebhookSigner>()!;
        var body = http.Features.Get<RawBody>()?.Bytes ?? [];
        if (!signer.Verify(options, http.Request.Headers, body, clock.GetUtcNow()))
        {
            throw new ApiException(401, ApiErrors.WebhookSignatureInvalid, "The webhook signature is missing, invalid or too old");
        }

        if (!IsJson(body))
        {
            throw new ApiException(400, ApiErrors.InvalidJson, "The webhook body is not valid JSON");
        }

        request.Actor = new Actor("webhook", signer.Provider);
        try
        {
            return await next(context);
        }
        catch (Exception misfit) when (WebhookAnomalies.IsMisfit(misfit))
        {
            await anomalies.RecordAsync(signer.Provider, body, misfit, http.RequestAborted);
            return TypedResults.Json(new { status = "ignored", duplicate = false, anomaly = true }, ApiJson.Options);
        }
    }

    private static bool IsJson(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
