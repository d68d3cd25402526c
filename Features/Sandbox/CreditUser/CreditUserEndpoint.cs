using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Sandbox.CreditUser;

public sealed class CreditUserEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<OfferHubOptions>().SandboxCredits)
        {
            return;
        }

        app.MapApiGroup("/sandbox", "Sandbox")
            .MapPost("/credits", async (CreditUser.Command command, ISender sender, CancellationToken ct) =>
                TypedResults.Json(await sender.Send(command, ct), ApiJson.Options, statusCode: StatusCodes.Status201Created))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.OneDay)
            .WithName("SandboxCredit")
            .WithSummary("Sandbox only: give a user money through the ledger, as a succeeded top-up would")
            .Produces<CreditUser.Result>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403, 404);
    }
}
