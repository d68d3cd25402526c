using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Withdrawals.CancelWithdrawal;

public sealed class CancelWithdrawalEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/withdrawals", "Withdrawals")
            .MapPost("/{id}/cancel", async (string id, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new CancelWithdrawal.Command(id), ct), ApiJson.Options))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.OneDay)
            .WithName("CancelWithdrawal")
            .WithSummary("Cancel a withdrawal before its commit; the money returns to available")
            .Produces<WithdrawalResponse>()
            .ProducesErrors(401, 403, 404, 409, 502, 504);
}
