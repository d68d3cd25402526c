using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Disputes.ListDisputes;

public sealed class ListDisputesEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/disputes", "Disputes")
            .MapGet("/", async ([AsParameters] ListDisputes.Query query, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(query, ct)))
            .RequireScope(Scopes.Read)
            .WithName("ListDisputes")
            .WithSummary("List disputes, newest first")
            .ProducesErrors(400, 401, 403);
}
