using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Topups.CancelTopup;

public sealed class CancelTopupEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/topups", "Top-ups")
            .MapPost("/{id}/cancel", async (string id, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new CancelTopup.Command(id), ct), ApiJson.Options))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.OneDay)
            .WithName("CancelTopup")
            .WithSummary("Cancel a top-up that is still awaiting the payer's confirmation")
            .Produces<TopupResponse>()
            .ProducesErrors(401, 403, 404, 409, 502, 504);
}
