using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Disputes.ResolveDispute;

public sealed class ResolveDisputeEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/disputes", "Disputes")
            .MapPost("/{id}/resolve", async (string id, ResolveDispute.Body body, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new ResolveDispute.Command(id, body.Decision, body.AmountToSeller, body.AmountToBuyer, body.Note), ct), ApiJson.Options))
            .RequireScope(Scopes.Support)
            .Idempotent(IdempotencyPolicy.Forever)
            .WithName("ResolveDispute")
            .WithSummary("Resolve the dispute: FULL_RELEASE, FULL_REFUND or SPLIT")
            .Produces<ResolveDispute.Resolution>()
            .ProducesErrors(400, 401, 403, 404, 409, 422, 502, 504);
}
