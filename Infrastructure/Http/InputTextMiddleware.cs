using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Infrastructure.Http;

/// <summary>Text the API cannot hold is refused at the edge, for every route at once: an id in
/// the path that no resource of ours can have (too long, not printable ASCII) is a 404, and a
/// query value with a control character (PostgreSQL cannot even store NUL) is a 400.</summary>
public sealed class InputTextMiddleware(RequestDelegate next)
{
    public const int MaxIdLength = 64;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(ApiRoutes.BasePath))
        {
            foreach (var (_, value) in context.Request.RouteValues)
            {
                if (value is string id && (id.Length > MaxIdLength || id.Any(c => c is < '!' or > '~')))
                {
                    throw new ApiException(404, ApiErrors.NotFoundCode, "No resource has this id");
                }
            }

            foreach (var (name, values) in context.Request.Query)
            {
                if (values.Any(v => v is not null && v.Any(char.IsControl)))
                {
                    throw ApiErrors.Validation((name, "must not contain control characters"));
                }
            }
        }

        await next(context);
    }
}
