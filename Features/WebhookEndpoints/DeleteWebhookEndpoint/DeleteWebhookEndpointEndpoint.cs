using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.WebhookEndpoints.DeleteWebhookEndpoint;

public sealed class DeleteWebhookEndpointEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/webhook-endpoints", "Outbound webhooks")
            .MapDelete("/{id}", async (string id, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new DeleteWebhookEndpoint.Command(id), ct), ApiJson.Options))
            .RequireMasterKey()
            .WithName("DeleteWebhookEndpoint")
            .WithSummary("Stop delivering to an endpoint")
            .Produces<DeleteWebhookEndpoint.Result>()
            .ProducesErrors(401, 403, 404);
}
