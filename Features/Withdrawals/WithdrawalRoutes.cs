using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;
using OfferHub.Lite.Infrastructure.RateLimiting;

namespace OfferHub.Lite.Features.Withdrawals;

/// <summary>The routes of withdrawals: each with its access, filters and documentation, mapped in the order
/// <see cref="FeatureRoutes"/> explains.</summary>
public static class WithdrawalRoutes
{
    public static void MapWithdrawalRoutes(this IEndpointRouteBuilder app)
    {
        var withdrawals = app.MapApiGroup("/withdrawals", "Withdrawals");

        withdrawals.MapPost("/{id}/refresh", (string id, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new RefreshWithdrawal.RefreshWithdrawal.Command(id), ct))
            .RequireScope(Scopes.Write)
            .WithName("RefreshWithdrawal")
            .WithSummary("Re-read the payout at Airtm and apply its status (naturally idempotent)")
            .Produces<WithdrawalResponse>()
            .ProducesErrors(401, 403, 404, 502, 504);

        withdrawals.MapGet("/", ([AsParameters] ListWithdrawals.ListWithdrawals.Query query, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(query, ct))
            .RequireScope(Scopes.Read)
            .AllowUserToken(new UserTokenAccess.FilteredByUser())
            .WithName("ListWithdrawals")
            .WithSummary("List withdrawals, newest first")
            .ProducesErrors(400, 401, 403);

        withdrawals.MapGet("/{id}", (string id, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(new GetWithdrawal.GetWithdrawal.Query(id), ct))
            .RequireScope(Scopes.Read)
            .AllowUserToken(WithdrawalStore.UserTokenAccess)
            .WithName("GetWithdrawal")
            .WithSummary("Get a withdrawal with its Airtm payout reference")
            .ProducesErrors(401, 403, 404);

        withdrawals.MapPost("/", (CreateWithdrawal.CreateWithdrawal.Command command, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(command, ct, StatusCodes.Status201Created))
            .RequireScope(Scopes.Write)
            .RateLimitedPerUser(UserRateLimits.Withdrawals)
            .Idempotent(IdempotencyPolicy.OneDay)
            .WithName("CreateWithdrawal")
            .WithSummary("Hold the amount and create an Airtm payout to the user's linked account")
            .Produces<WithdrawalResponse>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403, 404, 409, 422, 429, 502, 504);

        withdrawals.MapPost("/{id}/commit", (string id, CommitWithdrawal.CommitWithdrawal.Body body, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new CommitWithdrawal.CommitWithdrawal.Command(id, body.Confirm), ct))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.OneDay)
            .WithName("CommitWithdrawal")
            .WithSummary("Commit the payout so that Airtm pays it out")
            .Produces<WithdrawalResponse>()
            .ProducesErrors(400, 401, 403, 404, 409, 502, 504);

        withdrawals.MapPost("/{id}/cancel", (string id, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new CancelWithdrawal.CancelWithdrawal.Command(id), ct))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.OneDay)
            .WithName("CancelWithdrawal")
            .WithSummary("Cancel a withdrawal before its commit; the money returns to available")
            .Produces<WithdrawalResponse>()
            .ProducesErrors(401, 403, 404, 409, 502, 504);
    }
}
