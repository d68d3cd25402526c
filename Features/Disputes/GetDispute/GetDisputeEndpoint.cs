using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Disputes.GetDispute;

public sealed class GetDisputeEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/disputes", "Disputes")
            .MapGet("/{id}", async (string id, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetDispute.Query(id), ct)))
            .RequireScope(Scopes.Read)
            .AllowUserToken(DisputeStore.UserTokenAccess)
            .WithName("GetDispute")
            .WithSummary("Get a dispute with its resolution")
            .ProducesErrors(401, 403, 404);
}
