using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.WebhookEndpoints.CreateWebhookEndpoint;

public sealed class CreateWebhookEndpointEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/webhook-endpoints", "Outbound webhooks")
            .MapPost("/", async (CreateWebhookEndpoint.Command command, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(command, ct), ApiJson.Options, statusCode: StatusCodes.Status201Created))
            .RequireMasterKey()
            .WithName("CreateWebhookEndpoint")
            .WithSummary("Register an endpoint for outbound webhooks; the secret is shown once")
            .Produces<WebhookEndpointResponse>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403);
}
