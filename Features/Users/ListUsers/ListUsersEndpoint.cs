using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Users.ListUsers;

public sealed class ListUsersEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/users", "Users")
            .MapGet("/", async ([AsParameters] ListUsers.Query query, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(query, ct)))
            .RequireScope(Scopes.Read)
            .WithName("ListUsers")
            .WithSummary("List users, newest first")
            .ProducesErrors(400, 401, 403);
}
