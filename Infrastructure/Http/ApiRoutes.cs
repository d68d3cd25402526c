using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Infrastructure.Http;

public static class ApiRoutes
{
    public const string BasePath = "/api/v1";

    /// <summary>A route group under /api/v1, tagged for the OpenAPI document.</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix, string tag) =>
        app.MapGroup(BasePath + prefix).WithTags(tag);

    /// <summary>Declares the error envelope for the given statuses in the OpenAPI document.</summary>
    public static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses.Distinct())
        {
            builder.Produces<ErrorEnvelope>(status);
        }

        return builder;
    }
}
