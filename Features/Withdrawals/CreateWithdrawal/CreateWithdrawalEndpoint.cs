using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;
using OfferHub.Lite.Infrastructure.RateLimiting;

namespace OfferHub.Lite.Features.Withdrawals.CreateWithdrawal;

public sealed class CreateWithdrawalEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/withdrawals", "Withdrawals")
            .MapPost("/", async (CreateWithdrawal.Command command, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(command, ct), ApiJson.Options, statusCode: StatusCodes.Status201Created))
            .RequireScope(Scopes.Write)
            .RateLimitedPerUser(UserRateLimits.Withdrawals)
            .Idempotent(IdempotencyPolicy.OneDay)
            .WithName("CreateWithdrawal")
            .WithSummary("Hold the amount and create an Airtm payout to the user's linked account")
            .Produces<WithdrawalResponse>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403, 404, 409, 422, 429, 502, 504);
}
