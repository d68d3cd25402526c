using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Orders.GetOrderHistory;

public sealed class GetOrderHistoryEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/orders", "Orders")
            .MapGet("/{id}/history", async (string id, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetOrderHistory.Query(id), ct)))
            .RequireScope(Scopes.Read)
            .AllowUserToken(OrderStore.UserTokenAccess)
            .WithName("GetOrderHistory")
            .WithSummary("Every state transition of an order with actor, reason and time")
            .ProducesErrors(401, 403, 404);
}
