using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Infrastructure.Webhooks;

/// <summary>Which secret signs a provider's Standard Webhooks (Svix) callbacks.</summary>
public sealed record WebhookSigner(string Provider, Func<OfferHubOptions, string?> Secret, Func<OfferHubOptions, int> ToleranceSeconds);

public static class SignedWebhooks
{
    public static readonly WebhookSigner Airtm = new("airtm", o => o.Airtm.WebhookSecret, o => o.Airtm.WebhookToleranceSeconds);

    /// <summary>Refuses, before anything runs, a callback whose svix-* signature over the raw body
    /// does not verify: 401 WEBHOOK_SIGNATURE_INVALID, nothing changes.</summary>
    public static RouteHandlerBuilder RequireStandardWebhookSignature(this RouteHandlerBuilder builder, WebhookSigner signer) =>
        builder.WithMetadata(signer).AddEndpointFilter<SignedWebhookFilter>();
}

public sealed class SignedWebhookFilter(OfferHubOptions options, TimeProvider clock, RequestContext request) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var signer = http.GetEndpoint()!.Metadata.GetMetadata<WebhookSigner>()!;
        var headers = http.Request.Headers;
        var body = http.Features.Get<RawBody>()?.Bytes ?? [];
        var secret = signer.Secret(options);
        if (secret is null || !WebhookSignature.Verify(secret, headers["svix-id"], headers["svix-timestamp"], headers["svix-signature"], body,
                clock.GetUtcNow(), TimeSpan.FromSeconds(signer.ToleranceSeconds(options))))
        {
            throw new ApiException(401, ApiErrors.WebhookSignatureInvalid, "The webhook signature is missing, invalid or too old");
        }

        request.Actor = new Actor("webhook", signer.Provider);
        return await next(context);
    }
}
