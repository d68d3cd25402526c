using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Topups.ListTopups;

public sealed class ListTopupsEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/topups", "Top-ups")
            .MapGet("/", async ([AsParameters] ListTopups.Query query, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(query, ct)))
            .RequireScope(Scopes.Read)
            .AllowUserToken(new UserTokenAccess.FilteredByUser())
            .WithName("ListTopups")
            .WithSummary("List top-ups, newest first")
            .ProducesErrors(400, 401, 403);
}
