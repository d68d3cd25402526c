using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Infrastructure.Http;

/// <summary>What every route table uses: the /api/v1 group, the error envelope in the document, and
/// the common "send it, answer its result" mapping. Results are written with the host's JSON options
/// (configured once from <see cref="Primitives.ApiJson"/>), so no route names them.</summary>
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

    /// <summary>Sends the query and answers 200 with its result; the result type documents itself.</summary>
    public static async Task<Ok<T>> AnswerOkAsync<T>(this ISender sender, IQuery<T> query, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(query, ct));

    /// <summary>Sends the command and answers 200 with its result, documented like a query's.</summary>
    public static async Task<Ok<T>> AnswerOkAsync<T>(this ISender sender, ICommand<T> command, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(command, ct));

    /// <summary>Sends the command and answers its result as JSON with <paramref name="status"/>. The
    /// result carries no type of its own, so the route declares it with Produces.</summary>
    public static async Task<JsonHttpResult<T>> AnswerJsonAsync<T>(this ISender sender, ICommand<T> command, CancellationToken ct, int? status = null) =>
        TypedResults.Json(await sender.Send(command, ct), statusCode: status);
}
