using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Withdrawals.RefreshWithdrawal;

public sealed class RefreshWithdrawalEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/withdrawals", "Withdrawals")
            .MapPost("/{id}/refresh", async (string id, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new RefreshWithdrawal.Command(id), ct), ApiJson.Options))
            .RequireScope(Scopes.Write)
            .WithName("RefreshWithdrawal")
            .WithSummary("Re-read the payout at Airtm and apply its status (naturally idempotent)")
            .Produces<WithdrawalResponse>()
            .ProducesErrors(401, 403, 404, 502, 504);
}
