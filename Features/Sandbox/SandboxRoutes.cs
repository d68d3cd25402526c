using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Sandbox;

/// <summary>The routes of sandbox: each with its access, filters and documentation, mapped in the order
/// <see cref="FeatureRoutes"/> explains.</summary>
public static class SandboxRoutes
{
    public static void MapSandboxRoutes(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<OfferHubOptions>().SandboxCredits)
        {
            return;
        }

        var sandbox = app.MapApiGroup("/sandbox", "Sandbox");

        sandbox.MapPost("/credits", (CreditUser.CreditUser.Command command, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(command, ct, StatusCodes.Status201Created))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.OneDay)
            .WithName("SandboxCredit")
            .WithSummary("Sandbox only: give a user money through the ledger, as a succeeded top-up would")
            .Produces<CreditUser.CreditUser.Result>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403, 404);
    }
}
