using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Users.GetUser;

public sealed class GetUserEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/users", "Users")
            .MapGet("/{id}", async (string id, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetUser.Query(id), ct)))
            .RequireScope(Scopes.Read)
            .AllowUserToken(UserStore.UserTokenAccess)
            .WithName("GetUser")
            .WithSummary("Get a user")
            .ProducesErrors(401, 403, 404);
}
