using Carter;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Disputes.ListDisputeComments;

public sealed class ListDisputeCommentsEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/disputes", "Disputes")
            .MapGet("/{id}/comments", async (string id, [FromQuery(Name = "limit")] string? limit, [FromQuery(Name = "cursor")] string? cursor, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListDisputeComments.Query(id, limit, cursor), ct)))
            .RequireScope(Scopes.Support)
            .WithName("ListDisputeComments")
            .WithSummary("The dispute's comments, newest first")
            .ProducesErrors(400, 401, 403, 404);
}
