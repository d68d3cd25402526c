using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;
using OfferHub.Lite.Infrastructure.RateLimiting;

namespace OfferHub.Lite.Features.Topups.CreateTopup;

public sealed class CreateTopupEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/topups", "Top-ups")
            .MapPost("/", async (CreateTopup.Command command, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(command, ct), ApiJson.Options, statusCode: StatusCodes.Status201Created))
            .RequireScope(Scopes.Write)
            .RateLimitedPerUser(UserRateLimits.Topups)
            .Idempotent(IdempotencyPolicy.OneDay)
            .WithName("CreateTopup")
            .WithSummary("Start an Airtm pay-in that credits the user's balance once confirmed")
            .Produces<TopupResponse>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403, 404, 409, 422, 429, 502, 504);
}
