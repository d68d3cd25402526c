using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Withdrawals.CommitWithdrawal;

public sealed class CommitWithdrawalEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/withdrawals", "Withdrawals")
            .MapPost("/{id}/commit", async (string id, CommitWithdrawal.Body body, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new CommitWithdrawal.Command(id, body.Confirm), ct), ApiJson.Options))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.OneDay)
            .WithName("CommitWithdrawal")
            .WithSummary("Commit the payout so that Airtm pays it out")
            .Produces<WithdrawalResponse>()
            .ProducesErrors(400, 401, 403, 404, 409, 502, 504);
}
