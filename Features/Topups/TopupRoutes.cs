using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;
using OfferHub.Lite.Infrastructure.RateLimiting;

namespace OfferHub.Lite.Features.Topups;

/// <summary>The routes of top-ups: each with its access, filters and documentation, mapped in the order
/// <see cref="FeatureRoutes"/> explains.</summary>
public static class TopupRoutes
{
    public static void MapTopupRoutes(this IEndpointRouteBuilder app)
    {
        var topups = app.MapApiGroup("/topups", "Top-ups");

        topups.MapPost("/{id}/refresh", (string id, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new RefreshTopup.RefreshTopup.Command(id), ct))
            .RequireScope(Scopes.Write)
            .WithName("RefreshTopup")
            .WithSummary("Re-read the pay-in at Airtm and apply its status (naturally idempotent)")
            .Produces<TopupResponse>()
            .ProducesErrors(401, 403, 404, 502, 504);

        topups.MapGet("/", ([AsParameters] ListTopups.ListTopups.Query query, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(query, ct))
            .RequireScope(Scopes.Read)
            .AllowUserToken(new UserTokenAccess.FilteredByUser())
            .WithName("ListTopups")
            .WithSummary("List top-ups, newest first")
            .ProducesErrors(400, 401, 403);

        topups.MapGet("/{id}", (string id, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(new GetTopup.GetTopup.Query(id), ct))
            .RequireScope(Scopes.Read)
            .AllowUserToken(TopupStore.UserTokenAccess)
            .WithName("GetTopup")
            .WithSummary("Get a top-up with its Airtm pay-in reference")
            .ProducesErrors(401, 403, 404);

        topups.MapPost("/", (CreateTopup.CreateTopup.Command command, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(command, ct, StatusCodes.Status201Created))
            .RequireScope(Scopes.Write)
            .RateLimitedPerUser(UserRateLimits.Topups)
            .Idempotent(IdempotencyPolicy.OneDay)
            .WithName("CreateTopup")
            .WithSummary("Start an Airtm pay-in that credits the user's balance once confirmed")
            .Produces<TopupResponse>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403, 404, 409, 422, 429, 502, 504);

        topups.MapPost("/{id}/cancel", (string id, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new CancelTopup.CancelTopup.Command(id), ct))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.OneDay)
            .WithName("CancelTopup")
            .WithSummary("Cancel a top-up that is still awaiting the payer's confirmation")
            .Produces<TopupResponse>()
            .ProducesErrors(401, 403, 404, 409, 502, 504);
    }
}
