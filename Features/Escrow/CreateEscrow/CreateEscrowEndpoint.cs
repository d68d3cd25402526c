using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Escrow.CreateEscrow;

public sealed class CreateEscrowEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/orders", "Escrow")
            .MapPost("/{id}/escrow", async (string id, CreateEscrow.Body body, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new CreateEscrow.Command(id, body.Terms), ct), ApiJson.Options))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("CreateEscrow")
            .WithSummary("Deploy the order's escrow contract at Trustless Work")
            .Produces<CreateEscrow.Result>()
            .ProducesErrors(400, 401, 403, 404, 409, 502, 504);
}
