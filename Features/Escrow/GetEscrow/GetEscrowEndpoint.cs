using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Escrow.GetEscrow;

public sealed class GetEscrowEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/orders", "Escrow")
            .MapGet("/{id}/escrow", async (string id, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetEscrow.Query(id), ct)))
            .RequireScope(Scopes.Read)
            .AllowUserToken(Orders.OrderStore.UserTokenAccess)
            .WithName("GetEscrow")
            .WithSummary("The order's escrow: amounts, milestones and any signature it waits for")
            .ProducesErrors(401, 403, 404, 409);
}
