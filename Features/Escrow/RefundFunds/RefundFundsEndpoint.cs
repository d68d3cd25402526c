using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Escrow.RefundFunds;

public sealed class RefundFundsEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/orders", "Escrow")
            .MapPost("/{id}/refund", async (string id, RefundFunds.Body body, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new RefundFunds.Command(id, body.Mode, body.Amount, body.MilestoneRef, body.Reason), ct), ApiJson.Options))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("RefundFunds")
            .WithSummary("Refund the escrow: FULL, or PARTIAL for one milestone")
            .Produces<RefundFunds.Result>()
            .ProducesErrors(400, 401, 403, 404, 409, 422, 502, 504);
}
