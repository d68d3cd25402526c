using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Disputes.AssignDispute;

public sealed class AssignDisputeEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/disputes", "Disputes")
            .MapPost("/{id}/assign", async (string id, AssignDispute.Body body, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new AssignDispute.Command(id, body.AgentId), ct), ApiJson.Options))
            .RequireScope(Scopes.Support)
            .Idempotent(IdempotencyPolicy.Forever)
            .WithName("AssignDispute")
            .WithSummary("Assign the dispute to a support agent (UNDER_REVIEW)")
            .Produces<DisputeResponse>()
            .ProducesErrors(400, 401, 403, 404, 409);
}
