using Mediator;
using Microsoft.AspNetCore.Mvc;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Disputes;

/// <summary>The routes of disputes: each with its access, filters and documentation, mapped in the order
/// <see cref="FeatureRoutes"/> explains.</summary>
public static class DisputeRoutes
{
    public static void MapDisputeRoutes(this IEndpointRouteBuilder app)
    {
        var disputes = app.MapApiGroup("", "Disputes");

        disputes.MapPost("/disputes/{id}/resolve", (string id, ResolveDispute.ResolveDispute.Body body, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new ResolveDispute.ResolveDispute.Command(id, body.Decision, body.AmountToSeller, body.AmountToBuyer, body.Note), ct))
            .RequireScope(Scopes.Support)
            .Idempotent(IdempotencyPolicy.Forever)
            .WithName("ResolveDispute")
            .WithSummary("Resolve the dispute: FULL_RELEASE, FULL_REFUND or SPLIT")
            .Produces<ResolveDispute.ResolveDispute.Resolution>()
            .ProducesErrors(400, 401, 403, 404, 409, 422, 502, 504);

        disputes.MapPost("/orders/{id}/disputes", (string id, OpenDispute.OpenDispute.Body body, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new OpenDispute.OpenDispute.Command(id, body.OpenedBy, body.Reason, body.Message, body.Evidence), ct, StatusCodes.Status201Created))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.Forever)
            .WithName("OpenDispute")
            .WithSummary("Open the order's dispute; release and refund freeze until it is resolved")
            .Produces<OpenDispute.OpenDispute.Result>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403, 404, 409, 502, 504);

        disputes.MapGet("/disputes/", ([AsParameters] ListDisputes.ListDisputes.Query query, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(query, ct))
            .RequireScope(Scopes.Read)
            .WithName("ListDisputes")
            .WithSummary("List disputes, newest first")
            .ProducesErrors(400, 401, 403);

        disputes.MapGet("/disputes/{id}/comments", (string id, [FromQuery(Name = "limit")] string? limit, [FromQuery(Name = "cursor")] string? cursor, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(new ListDisputeComments.ListDisputeComments.Query(id, limit, cursor), ct))
            .RequireScope(Scopes.Support)
            .WithName("ListDisputeComments")
            .WithSummary("The dispute's comments, newest first")
            .ProducesErrors(400, 401, 403, 404);

        disputes.MapGet("/disputes/{id}", (string id, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(new GetDispute.GetDispute.Query(id), ct))
            .RequireScope(Scopes.Read)
            .AllowUserToken(DisputeStore.UserTokenAccess)
            .WithName("GetDispute")
            .WithSummary("Get a dispute with its resolution")
            .ProducesErrors(401, 403, 404);

        disputes.MapPost("/disputes/{id}/comment", (string id, CommentOnDispute.CommentOnDispute.Body body, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new CommentOnDispute.CommentOnDispute.Command(id, body.Message), ct, StatusCodes.Status201Created))
            .RequireScope(Scopes.Support)
            .WithName("CommentOnDispute")
            .WithSummary("Add a support comment to the dispute")
            .Produces<CommentOnDispute.CommentOnDispute.Result>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403, 404);

        disputes.MapPost("/disputes/{id}/assign", (string id, AssignDispute.AssignDispute.Body body, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new AssignDispute.AssignDispute.Command(id, body.AgentId), ct))
            .RequireScope(Scopes.Support)
            .Idempotent(IdempotencyPolicy.Forever)
            .WithName("AssignDispute")
            .WithSummary("Assign the dispute to a support agent (UNDER_REVIEW)")
            .Produces<DisputeResponse>()
            .ProducesErrors(400, 401, 403, 404, 409);
    }
}
