using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Signatures.ListSignatures;

public sealed class ListSignaturesEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/signatures", "Signatures")
            .MapGet("/", async ([AsParameters] ListSignatures.Query query, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(query, ct)))
            .RequireScope(Scopes.Read)
            .AllowUserToken(new UserTokenAccess.FilteredByUser())
            .WithName("ListSignatures")
            .WithSummary("List signature requests, newest first")
            .ProducesErrors(400, 401, 403);
}
