using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Escrow.ReleaseFunds;

public sealed class ReleaseFundsEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/orders", "Escrow")
            .MapPost("/{id}/release", async (string id, ReleaseFunds.Body body, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new ReleaseFunds.Command(id, body.Mode, body.Amount, body.MilestoneRef, body.Reason), ct), ApiJson.Options))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("ReleaseFunds")
            .WithSummary("Release the escrow: FULL, or PARTIAL for one milestone")
            .Produces<ReleaseFunds.Result>()
            .ProducesErrors(400, 401, 403, 404, 409, 422, 502, 504);
}
