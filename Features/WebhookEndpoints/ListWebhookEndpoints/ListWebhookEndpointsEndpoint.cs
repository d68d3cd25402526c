using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.WebhookEndpoints.ListWebhookEndpoints;

public sealed class ListWebhookEndpointsEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/webhook-endpoints", "Outbound webhooks")
            .MapGet("/", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListWebhookEndpoints.Query(), ct)))
            .RequireMasterKey()
            .WithName("ListWebhookEndpoints")
            .WithSummary("The registered endpoints, without their secrets")
            .ProducesErrors(401, 403);
}
