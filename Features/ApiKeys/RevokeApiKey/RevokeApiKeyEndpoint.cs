using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.ApiKeys.RevokeApiKey;

public sealed class RevokeApiKeyEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/auth", "Auth")
            .MapDelete("/api-keys/{key_id}", async (string key_id, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new RevokeApiKey.Command(key_id), ct)))
            .RequireMasterKey()
            .WithName("RevokeApiKey")
            .WithSummary("Revoke an API key; it stops working at once")
            .ProducesErrors(401, 403, 404);
}
