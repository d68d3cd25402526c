using Carter;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.WebhookEndpoints.ListDeliveries;

public sealed class ListDeliveriesEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/webhook-endpoints", "Outbound webhooks")
            .MapGet("/{id}/deliveries", async (string id, [FromQuery(Name = "limit")] string? limit, [FromQuery(Name = "cursor")] string? cursor, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListDeliveries.Query(id, limit, cursor), ct)))
            .RequireMasterKey()
            .WithName("ListWebhookDeliveries")
            .WithSummary("The endpoint's deliveries with every attempt (status, duration, response snippet)")
            .ProducesErrors(400, 401, 403, 404);
}
