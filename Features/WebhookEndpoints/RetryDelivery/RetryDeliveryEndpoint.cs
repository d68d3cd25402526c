using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.WebhookEndpoints.RetryDelivery;

public sealed class RetryDeliveryEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/webhook-deliveries", "Outbound webhooks")
            .MapPost("/{id}/retry", async (string id, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new RetryDelivery.Command(id), ct), ApiJson.Options))
            .RequireMasterKey()
            .WithName("RetryWebhookDelivery")
            .WithSummary("Try a delivery again now")
            .Produces<DeliveryResponse>()
            .ProducesErrors(401, 403, 404);
}
