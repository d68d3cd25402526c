using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Users.LinkAirtm;

public sealed class LinkAirtmEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/users", "Users")
            .MapPost("/{id}/airtm/link", async (string id, LinkAirtm.Body body, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(new LinkAirtm.Command(id, body.AirtmEmail, body.AirtmUserId), ct), ApiJson.Options))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("LinkAirtm")
            .WithSummary("Link the user to an Airtm account, found by its e-mail")
            .Produces<LinkAirtm.Result>()
            .ProducesErrors(400, 401, 403, 404, 409, 422, 502, 504);
}
