using OfferHub.Lite.Features.ApiKeys;
using OfferHub.Lite.Features.Audit;
using OfferHub.Lite.Features.Disputes;
using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Features.Events;
using OfferHub.Lite.Features.Instance;
using OfferHub.Lite.Features.OperatorConsole;
using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Features.Sandbox;
using OfferHub.Lite.Features.Signatures;
using OfferHub.Lite.Features.Topups;
using OfferHub.Lite.Features.Users;
using OfferHub.Lite.Features.WebhookEndpoints;
using OfferHub.Lite.Features.Webhooks;
using OfferHub.Lite.Features.Withdrawals;

namespace OfferHub.Lite.Features;

/// <summary>Every area's route table. The OpenAPI document lists paths, and their schemas, in the
/// order the routes are mapped, so this order (and each table's) is the published document's,
/// sdk/openapi.json, which the SDK's types are generated from: moving a line here reorders both.</summary>
public static class FeatureRoutes
{
    public static void MapFeatureRoutes(this IEndpointRouteBuilder app)
    {
        app.MapWithdrawalRoutes();
        app.MapWebhookRoutes();
        app.MapWebhookEndpointRoutes();
        app.MapUserRoutes();
        app.MapTopupRoutes();
        app.MapSignatureRoutes();
        app.MapSandboxRoutes();
        app.MapOrderRoutes();
        app.MapInstanceRoutes();
        app.MapEventRoutes();
        app.MapEscrowRoutes();
        app.MapDisputeRoutes();
        app.MapAuditRoutes();
        app.MapApiKeyRoutes();
        app.MapOperatorConsoleRoutes();
    }
}
