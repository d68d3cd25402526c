using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Users.LinkStellar;

public sealed class LinkStellarEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/users", "Users")
            .MapPost("/{id}/stellar/link", async (string id, LinkStellar.Body body, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new LinkStellar.Command(id, body.StellarAddress), ct), ApiJson.Options))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("LinkStellar")
            .WithSummary("Link the Stellar address that plays the user's escrow roles")
            .Produces<UserResponse>()
            .ProducesErrors(400, 401, 403, 404);
}
