using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Webhooks;

namespace OfferHub.Lite.Features.Webhooks.ReceiveTrustlessWebhook;

public sealed class ReceiveTrustlessWebhookEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/webhooks", "Provider webhooks")
            .MapPost("/trustless-work", async (HttpContext http, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new ReceiveTrustlessWebhook.Command(http.Features.Get<RawBody>()?.Bytes ?? []), ct), ApiJson.Options))
            .AllowWithoutToken()
            .RequireWebhookSignature(SignedWebhooks.TrustlessWork)
            .WithName("ReceiveTrustlessWebhook")
            .WithSummary("Signed notifications of confirmed escrow transactions (HMAC)")
            .Produces<ReceiveTrustlessWebhook.Result>()
            .ProducesErrors(400, 401, 502);
}
