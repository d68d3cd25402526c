using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Orders.ReserveFunds;

public sealed class ReserveFundsEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/orders", "Orders")
            .MapPost("/{id}/reserve", async (string id, ReserveFunds.Body body, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new ReserveFunds.Command(id, body.Amount), ct), ApiJson.Options))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("ReserveFunds")
            .WithSummary("Hold the order amount from the buyer's available balance")
            .Produces<ReserveFunds.Result>()
            .ProducesErrors(400, 401, 403, 404, 409, 422);
}
