using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Topups.GetTopup;

public sealed class GetTopupEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/topups", "Top-ups")
            .MapGet("/{id}", async (string id, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetTopup.Query(id), ct)))
            .RequireScope(Scopes.Read)
            .AllowUserToken(TopupStore.UserTokenAccess)
            .WithName("GetTopup")
            .WithSummary("Get a top-up with its Airtm pay-in reference")
            .ProducesErrors(401, 403, 404);
}
