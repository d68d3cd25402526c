using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Topups.RefreshTopup;

public sealed class RefreshTopupEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/topups", "Top-ups")
            .MapPost("/{id}/refresh", async (string id, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new RefreshTopup.Command(id), ct), ApiJson.Options))
            .RequireScope(Scopes.Write)
            .WithName("RefreshTopup")
            .WithSummary("Re-read the pay-in at Airtm and apply its status (naturally idempotent)")
            .Produces<TopupResponse>()
            .ProducesErrors(401, 403, 404, 502, 504);
}
