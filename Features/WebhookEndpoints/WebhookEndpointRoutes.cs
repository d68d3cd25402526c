using Mediator;
using Microsoft.AspNetCore.Mvc;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.WebhookEndpoints;

/// <summary>The routes of outbound webhooks: each with its access, filters and documentation, mapped in the order
/// <see cref="FeatureRoutes"/> explains.</summary>
public static class WebhookEndpointRoutes
{
    public static void MapWebhookEndpointRoutes(this IEndpointRouteBuilder app)
    {
        var webhookDeliveries = app.MapApiGroup("/webhook-deliveries", "Outbound webhooks");

        webhookDeliveries.MapPost("/{id}/retry", (string id, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new RetryDelivery.RetryDelivery.Command(id), ct))
            .RequireMasterKey()
            .WithName("RetryWebhookDelivery")
            .WithSummary("Try a delivery again now")
            .Produces<DeliveryResponse>()
            .ProducesErrors(401, 403, 404);

        var webhookEndpoints = app.MapApiGroup("/webhook-endpoints", "Outbound webhooks");

        webhookEndpoints.MapGet("/", (ISender sender, CancellationToken ct) => sender.AnswerOkAsync(new ListWebhookEndpoints.ListWebhookEndpoints.Query(), ct))
            .RequireMasterKey()
            .WithName("ListWebhookEndpoints")
            .WithSummary("The registered endpoints, without their secrets")
            .ProducesErrors(401, 403);

        webhookEndpoints.MapGet("/{id}/deliveries", (string id, [FromQuery(Name = "limit")] string? limit, [FromQuery(Name = "cursor")] string? cursor, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(new ListDeliveries.ListDeliveries.Query(id, limit, cursor), ct))
            .RequireMasterKey()
            .WithName("ListWebhookDeliveries")
            .WithSummary("The endpoint's deliveries with every attempt (status, duration, response snippet)")
            .ProducesErrors(400, 401, 403, 404);

        webhookEndpoints.MapDelete("/{id}", (string id, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new DeleteWebhookEndpoint.DeleteWebhookEndpoint.Command(id), ct))
            .RequireMasterKey()
            .WithName("DeleteWebhookEndpoint")
            .WithSummary("Stop delivering to an endpoint")
            .Produces<DeleteWebhookEndpoint.DeleteWebhookEndpoint.Result>()
            .ProducesErrors(401, 403, 404);

        webhookEndpoints.MapPost("/", (CreateWebhookEndpoint.CreateWebhookEndpoint.Command command, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(command, ct, StatusCodes.Status201Created))
            .RequireMasterKey()
            .WithName("CreateWebhookEndpoint")
            .WithSummary("Register an endpoint for outbound webhooks; the secret is shown once")
            .Produces<WebhookEndpointResponse>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403);
    }
}
