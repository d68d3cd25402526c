using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Signatures.GetSignature;

public sealed class GetSignatureEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/signatures", "Signatures")
            .MapGet("/{id}", async (string id, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetSignature.Query(id), ct)))
            .RequireScope(Scopes.Read)
            .AllowUserToken(SignatureStore.UserTokenAccess)
            .WithName("GetSignature")
            .WithSummary("A signature request: the unsigned transaction and who must sign it")
            .ProducesErrors(401, 403, 404);
}
