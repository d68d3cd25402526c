using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.ApiKeys.CreateApiKey;

public sealed class CreateApiKeyEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/auth", "Auth")
            .MapPost("/api-keys", async (CreateApiKey.Command command, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(command, ct), ApiJson.Options, statusCode: StatusCodes.Status201Created))
            .RequireMasterKey()
            .WithName("CreateApiKey")
            .WithSummary("Create an API key; the key is shown only in this response")
            .Produces<CreateApiKey.Result>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403);
}
