using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Webhooks;

namespace OfferHub.Lite.Features.Webhooks;

/// <summary>The routes of provider webhooks: each with its access, filters and documentation, mapped in the order
/// <see cref="FeatureRoutes"/> explains.</summary>
public static class WebhookRoutes
{
    public static void MapWebhookRoutes(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapApiGroup("/webhooks", "Provider webhooks");

        webhooks.MapPost("/trustless-work", (HttpContext http, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new ReceiveTrustlessWebhook.ReceiveTrustlessWebhook.Command(http.Features.Get<RawBody>()?.Bytes ?? []), ct))
            .AllowWithoutToken()
            .RequireWebhookSignature(SignedWebhooks.TrustlessWork)
            .WithName("ReceiveTrustlessWebhook")
            .WithSummary("Signed notifications of confirmed escrow transactions (HMAC)")
            .Produces<ReceiveTrustlessWebhook.ReceiveTrustlessWebhook.Result>()
            .ProducesErrors(400, 401, 502);

        webhooks.MapPost("/airtm", (HttpContext http, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new ReceiveAirtmWebhook.ReceiveAirtmWebhook.Command(http.Request.Headers["svix-id"].ToString(), http.Features.Get<RawBody>()?.Bytes ?? []), ct))
            .AllowWithoutToken()
            .RequireWebhookSignature(SignedWebhooks.Airtm)
            .WithName("ReceiveAirtmWebhook")
            .WithSummary("Airtm's Svix-signed callbacks")
            .Produces<ReceiveAirtmWebhook.ReceiveAirtmWebhook.Result>()
            .ProducesErrors(400, 401, 502);
    }
}
