using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Withdrawals.ListWithdrawals;

public sealed class ListWithdrawalsEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/withdrawals", "Withdrawals")
            .MapGet("/", async ([AsParameters] ListWithdrawals.Query query, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(query, ct)))
            .RequireScope(Scopes.Read)
            .AllowUserToken(new UserTokenAccess.FilteredByUser())
            .WithName("ListWithdrawals")
            .WithSummary("List withdrawals, newest first")
            .ProducesErrors(400, 401, 403);
}
