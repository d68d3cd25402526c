using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Disputes.CommentOnDispute;

public sealed class CommentOnDisputeEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/disputes", "Disputes")
            .MapPost("/{id}/comment", async (string id, CommentOnDispute.Body body, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new CommentOnDispute.Command(id, body.Message), ct), ApiJson.Options, statusCode: StatusCodes.Status201Created))
            .RequireScope(Scopes.Support)
            .WithName("CommentOnDispute")
            .WithSummary("Add a support comment to the dispute")
            .Produces<CommentOnDispute.Result>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403, 404);
}
