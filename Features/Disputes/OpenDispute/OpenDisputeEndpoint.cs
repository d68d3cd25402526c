using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Disputes.OpenDispute;

public sealed class OpenDisputeEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/orders", "Disputes")
            .MapPost("/{id}/disputes", async (string id, OpenDispute.Body body, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new OpenDispute.Command(id, body.OpenedBy, body.Reason, body.Message, body.Evidence), ct), ApiJson.Options,
                    statusCode: StatusCodes.Status201Created))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.Forever)
            .WithName("OpenDispute")
            .WithSummary("Open the order's dispute; release and refund freeze until it is resolved")
            .Produces<OpenDispute.Result>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403, 404, 409, 502, 504);
}
