using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Users.GetLedger;

public sealed class GetLedgerEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/users", "Users")
            .MapGet("/{id}/ledger", async (string id, string? limit, string? cursor, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetLedger.Query(id, limit, cursor), ct)))
            .RequireScope(Scopes.Read)
            .AllowUserToken(UserStore.UserTokenAccess)
            .WithName("GetLedger")
            .WithSummary("A user's ledger entries, newest first")
            .ProducesErrors(400, 401, 403, 404);
}
