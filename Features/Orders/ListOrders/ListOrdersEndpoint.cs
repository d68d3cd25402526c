using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Orders.ListOrders;

public sealed class ListOrdersEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/orders", "Orders")
            .MapGet("/", async ([AsParameters] ListOrders.Query query, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(query, ct)))
            .RequireScope(Scopes.Read)
            .AllowUserToken(new UserTokenAccess.FilteredByUser())
            .WithName("ListOrders")
            .WithSummary("List orders, newest first")
            .ProducesErrors(400, 401, 403);
}
