using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Orders.CreateOrder;

public sealed class CreateOrderEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/orders", "Orders")
            .MapPost("/", async (CreateOrder.Command command, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(command, ct), ApiJson.Options, statusCode: StatusCodes.Status201Created))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("CreateOrder")
            .WithSummary("Create an order between a buyer and a seller")
            .Produces<OrderResponse>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403, 404, 409, 422);
}
