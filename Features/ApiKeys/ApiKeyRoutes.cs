using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.ApiKeys;

/// <summary>The routes of auth: each with its access, filters and documentation, mapped in the order
/// <see cref="FeatureRoutes"/> explains.</summary>
public static class ApiKeyRoutes
{
    public static void MapApiKeyRoutes(this IEndpointRouteBuilder app)
    {
        var auth = app.MapApiGroup("/auth", "Auth");

        auth.MapDelete("/api-keys/{key_id}", (string key_id, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(new RevokeApiKey.RevokeApiKey.Command(key_id), ct))
            .RequireMasterKey()
            .WithName("RevokeApiKey")
            .WithSummary("Revoke an API key; it stops working at once")
            .ProducesErrors(401, 403, 404);

        auth.MapPost("/token", (MintToken.MintToken.Command command, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(command, ct, StatusCodes.Status201Created))
            .RequireMasterKey()
            .WithName("MintToken")
            .WithSummary("Mint a short-lived token with a subset of scopes, optionally bound to one user for that user's browser")
            .Produces<MintToken.MintToken.Result>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403);

        auth.MapGet("/api-keys", ([AsParameters] ListApiKeys.ListApiKeys.Query query, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(query, ct))
            .RequireMasterKey()
            .WithName("ListApiKeys")
            .WithSummary("List API keys without their secrets")
            .ProducesErrors(400, 401, 403);

        auth.MapPost("/api-keys", (CreateApiKey.CreateApiKey.Command command, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(command, ct, StatusCodes.Status201Created))
            .RequireMasterKey()
            .WithName("CreateApiKey")
            .WithSummary("Create an API key; the key is shown only in this response")
            .Produces<CreateApiKey.CreateApiKey.Result>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403);
    }
}
