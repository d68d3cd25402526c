using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Users.GetBalance;

public sealed class GetBalanceEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/users", "Users")
            .MapGet("/{id}/balance", async (string id, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetBalance.Query(id), ct)))
            .RequireScope(Scopes.Read)
            .AllowUserToken(UserStore.UserTokenAccess)
            .WithName("GetBalance")
            .WithSummary("A user's available, reserved and pending-withdrawal balance")
            .ProducesErrors(401, 403, 404);
}
