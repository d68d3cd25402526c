using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Instance;

/// <summary>The routes of instance: each with its access, filters and documentation, mapped in the order
/// <see cref="FeatureRoutes"/> explains.</summary>
public static class InstanceRoutes
{
    public static void MapInstanceRoutes(this IEndpointRouteBuilder app)
    {
        var instance = app.MapApiGroup("", "Instance");

        instance.MapGet("/me", (HttpContext http, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(new GetMe.GetMe.Query(http.Caller()), ct))
            .RequireAnyToken()
            .AllowUserToken(new UserTokenAccess.TokenItself())
            .WithName("GetMe")
            .WithSummary("Who the presented key is")
            .ProducesErrors(401);

        instance.MapGet("/health", async (ISender sender, CancellationToken ct) =>
            {
                var health = await sender.Send(new GetHealth.GetHealth.Query(), ct);
                return TypedResults.Json(health, statusCode: health.Status == "unhealthy" ? 503 : 200);
            })
            .AllowWithoutToken()
            .WithName("GetHealth")
            .WithSummary("Liveness and dependency checks")
            .Produces<GetHealth.GetHealth.Result>()
            .Produces<GetHealth.GetHealth.Result>(StatusCodes.Status503ServiceUnavailable);

        instance.MapGet("/config", (ISender sender, CancellationToken ct) => sender.AnswerOkAsync(new GetConfig.GetConfig.Query(), ct))
            .RequireScope(Scopes.Read)
            .WithName("GetConfig")
            .WithSummary("Feature switches, limits, providers and currencies")
            .ProducesErrors(401, 403);
    }
}
