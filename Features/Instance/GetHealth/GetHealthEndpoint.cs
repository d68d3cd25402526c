using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Instance.GetHealth;

public sealed class GetHealthEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("", "Instance")
            .MapGet("/health", async (ISender sender, CancellationToken ct) =>
            {
                var health = await sender.Send(new GetHealth.Query(), ct);
                return TypedResults.Json(health, ApiJson.Options, statusCode: health.Status == "unhealthy" ? 503 : 200);
            })
            .AllowWithoutToken()
            .WithName("GetHealth")
            .WithSummary("Liveness and dependency checks")
            .Produces<GetHealth.Result>()
            .Produces<GetHealth.Result>(StatusCodes.Status503ServiceUnavailable);
}
