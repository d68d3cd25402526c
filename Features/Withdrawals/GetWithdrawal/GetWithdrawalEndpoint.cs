using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Withdrawals.GetWithdrawal;

public sealed class GetWithdrawalEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/withdrawals", "Withdrawals")
            .MapGet("/{id}", async (string id, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetWithdrawal.Query(id), ct)))
            .RequireScope(Scopes.Read)
            .AllowUserToken(WithdrawalStore.UserTokenAccess)
            .WithName("GetWithdrawal")
            .WithSummary("Get a withdrawal with its Airtm payout reference")
            .ProducesErrors(401, 403, 404);
}
