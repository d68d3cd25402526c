using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Escrow.CompleteMilestone;

public sealed class CompleteMilestoneEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/orders", "Escrow")
            .MapPost("/{id}/milestones/{milestoneRef}/complete", async (string id, string milestoneRef, CompleteMilestone.Body body, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new CompleteMilestone.Command(id, milestoneRef, body.CompletedBy, body.Note), ct), ApiJson.Options))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("CompleteMilestone")
            .WithSummary("The seller marks a milestone done, or the buyer approves it")
            .Produces<CompleteMilestone.Result>()
            .ProducesErrors(400, 401, 403, 404, 409, 502, 504);
}
