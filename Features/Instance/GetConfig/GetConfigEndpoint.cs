using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Instance.GetConfig;

public sealed class GetConfigEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("", "Instance")
            .MapGet("/config", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetConfig.Query(), ct)))
            .RequireScope(Scopes.Read)
            .WithName("GetConfig")
            .WithSummary("Feature switches, limits, providers and currencies")
            .ProducesErrors(401, 403);
}
