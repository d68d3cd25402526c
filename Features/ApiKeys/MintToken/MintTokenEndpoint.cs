using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.ApiKeys.MintToken;

public sealed class MintTokenEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/auth", "Auth")
            .MapPost("/token", async (MintToken.Command command, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(command, ct), ApiJson.Options, statusCode: StatusCodes.Status201Created))
            .RequireMasterKey()
            .WithName("MintToken")
            .WithSummary("Mint a short-lived token with a subset of scopes, optionally bound to one user for that user's browser")
            .Produces<MintToken.Result>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403);
}
