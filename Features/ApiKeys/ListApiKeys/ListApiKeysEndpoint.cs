using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.ApiKeys.ListApiKeys;

public sealed class ListApiKeysEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/auth", "Auth")
            .MapGet("/api-keys", async ([AsParameters] ListApiKeys.Query query, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(query, ct)))
            .RequireMasterKey()
            .WithName("ListApiKeys")
            .WithSummary("List API keys without their secrets")
            .ProducesErrors(400, 401, 403);
}
