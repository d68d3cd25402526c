using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Webhooks;

namespace OfferHub.Lite.Features.Webhooks.ReceiveAirtmWebhook;

public sealed class ReceiveAirtmWebhookEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/webhooks", "Provider webhooks")
            .MapPost("/airtm", async (HttpContext http, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new ReceiveAirtmWebhook.Command(http.Request.Headers["svix-id"].ToString(), http.Features.Get<RawBody>()?.Bytes ?? []), ct), ApiJson.Options))
            .AllowWithoutToken()
            .RequireWebhookSignature(SignedWebhooks.Airtm)
            .WithName("ReceiveAirtmWebhook")
            .WithSummary("Airtm's Svix-signed callbacks")
            .Produces<ReceiveAirtmWebhook.Result>()
            .ProducesErrors(400, 401, 502);
}
