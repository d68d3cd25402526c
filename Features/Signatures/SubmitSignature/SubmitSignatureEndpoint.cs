using Carter;
using Mediator;
using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Signatures.SubmitSignature;

public sealed class SubmitSignatureEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/signatures", "Signatures")
            .MapPost("/{id}/submit", async (string id, SubmitSignature.Body body, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new SubmitSignature.Command(id, body.SignedXdr), ct), ApiJson.Options))
            .RequireScope(Scopes.Write)
            .AllowUserToken(SignatureStore.UserTokenAccess)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("SubmitSignature")
            .WithSummary("Submit the signed transaction; the waiting operation continues")
            .Produces<SignatureResponse>()
            .ProducesErrors(400, 401, 403, 404, 409, 502, 504);
}
