using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Orders;

/// <summary>The routes of orders: each with its access, filters and documentation, mapped in the order
/// <see cref="FeatureRoutes"/> explains.</summary>
public static class OrderRoutes
{
    public static void MapOrderRoutes(this IEndpointRouteBuilder app)
    {
        var orders = app.MapApiGroup("/orders", "Orders");

        orders.MapPost("/{id}/reserve", (string id, ReserveFunds.ReserveFunds.Body body, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new ReserveFunds.ReserveFunds.Command(id, body.Amount), ct))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("ReserveFunds")
            .WithSummary("Hold the order amount from the buyer's available balance")
            .Produces<ReserveFunds.ReserveFunds.Result>()
            .ProducesErrors(400, 401, 403, 404, 409, 422);

        orders.MapGet("/", ([AsParameters] ListOrders.ListOrders.Query query, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(query, ct))
            .RequireScope(Scopes.Read)
            .AllowUserToken(new UserTokenAccess.FilteredByUser())
            .WithName("ListOrders")
            .WithSummary("List orders, newest first")
            .ProducesErrors(400, 401, 403);

        orders.MapGet("/{id}/history", (string id, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(new GetOrderHistory.GetOrderHistory.Query(id), ct))
            .RequireScope(Scopes.Read)
            .AllowUserToken(OrderStore.UserTokenAccess)
            .WithName("GetOrderHistory")
            .WithSummary("Every state transition of an order with actor, reason and time")
            .ProducesErrors(401, 403, 404);

        orders.MapGet("/{id}", (string id, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(new GetOrder.GetOrder.Query(id), ct))
            .RequireScope(Scopes.Read)
            .AllowUserToken(OrderStore.UserTokenAccess)
            .WithName("GetOrder")
            .WithSummary("Get an order")
            .ProducesErrors(401, 403, 404);

        orders.MapPost("/", (CreateOrder.CreateOrder.Command command, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(command, ct, StatusCodes.Status201Created))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("CreateOrder")
            .WithSummary("Create an order between a buyer and a seller")
            .Produces<OrderResponse>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403, 404, 409, 422);

        orders.MapPost("/{id}/cancel", (string id, CancelOrder.CancelOrder.Body? body, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new CancelOrder.CancelOrder.Command(id, body?.Reason), ct))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("CancelOrder")
            .WithSummary("Cancel an order before escrow; any reservation returns to the buyer")
            .Produces<CancelOrder.CancelOrder.Result>()
            .ProducesErrors(400, 401, 403, 404, 409);
    }
}
