using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Users.CreateUser;

public sealed class CreateUserEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/users", "Users")
            .MapPost("/", async (CreateUser.Command command, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(command, ct), ApiJson.Options, statusCode: StatusCodes.Status201Created))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("CreateUser")
            .WithSummary("Create a user (buyer, seller or both)")
            .Produces<UserResponse>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403, 409);
}
