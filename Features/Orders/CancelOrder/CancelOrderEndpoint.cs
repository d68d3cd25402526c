using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Orders.CancelOrder;

public sealed class CancelOrderEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/orders", "Orders")
            .MapPost("/{id}/cancel", async (string id, CancelOrder.Body? body, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new CancelOrder.Command(id, body?.Reason), ct), ApiJson.Options))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("CancelOrder")
            .WithSummary("Cancel an order before escrow; any reservation returns to the buyer")
            .Produces<CancelOrder.Result>()
            .ProducesErrors(400, 401, 403, 404, 409);
}
