using Mediator;
using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Signatures;

/// <summary>The routes of signatures: each with its access, filters and documentation, mapped in the order
/// <see cref="FeatureRoutes"/> explains.</summary>
public static class SignatureRoutes
{
    public static void MapSignatureRoutes(this IEndpointRouteBuilder app)
    {
        var signatures = app.MapApiGroup("/signatures", "Signatures");

        signatures.MapPost("/{id}/submit", (string id, SubmitSignature.SubmitSignature.Body body, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new SubmitSignature.SubmitSignature.Command(id, body.SignedXdr), ct))
            .RequireScope(Scopes.Write)
            .AllowUserToken(SignatureStore.UserTokenAccess)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("SubmitSignature")
            .WithSummary("Submit the signed transaction; the waiting operation continues")
            .Produces<SignatureResponse>()
            .ProducesErrors(400, 401, 403, 404, 409, 502, 504);

        signatures.MapGet("/", ([AsParameters] ListSignatures.ListSignatures.Query query, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(query, ct))
            .RequireScope(Scopes.Read)
            .AllowUserToken(new UserTokenAccess.FilteredByUser())
            .WithName("ListSignatures")
            .WithSummary("List signature requests, newest first")
            .ProducesErrors(400, 401, 403);

        signatures.MapGet("/{id}", (string id, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(new GetSignature.GetSignature.Query(id), ct))
            .RequireScope(Scopes.Read)
            .AllowUserToken(SignatureStore.UserTokenAccess)
            .WithName("GetSignature")
            .WithSummary("A signature request: the unsigned transaction and who must sign it")
            .ProducesErrors(401, 403, 404);
    }
}
