using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Escrow.FundEscrow;

public sealed class FundEscrowEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/orders", "Escrow")
            .MapPost("/{id}/escrow/fund", async (string id, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new FundEscrow.Command(id), ct), ApiJson.Options))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("FundEscrow")
            .WithSummary("Move the reservation into the escrow contract")
            .Produces<FundEscrow.Result>()
            .ProducesErrors(401, 403, 404, 409, 502, 504);
}
