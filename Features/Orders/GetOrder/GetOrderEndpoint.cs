using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Orders.GetOrder;

public sealed class GetOrderEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/orders", "Orders")
            .MapGet("/{id}", async (string id, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetOrder.Query(id), ct)))
            .RequireScope(Scopes.Read)
            .AllowUserToken(OrderStore.UserTokenAccess)
            .WithName("GetOrder")
            .WithSummary("Get an order")
            .ProducesErrors(401, 403, 404);
}
