using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Events.ListEvents;

public sealed class ListEventsEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("", "Events")
            .MapGet("/events", async ([AsParameters] ListEvents.Query query, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(query, ct)))
            .RequireScope(Scopes.Read)
            .WithName("ListEvents")
            .WithSummary("Stored domain events after a cursor, oldest first")
            .ProducesErrors(400, 401, 403);
}
