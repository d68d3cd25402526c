using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Audit;

/// <summary>The routes of audit: each with its access, filters and documentation, mapped in the order
/// <see cref="FeatureRoutes"/> explains.</summary>
public static class AuditRoutes
{
    public static void MapAuditRoutes(this IEndpointRouteBuilder app)
    {
        var audit = app.MapApiGroup("/audit", "Audit");

        audit.MapGet("/logs", ([AsParameters] ListAuditLogs.ListAuditLogs.Query query, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(query, ct))
            .RequireScope(Scopes.Support)
            .WithName("ListAuditLogs")
            .WithSummary("The append-only audit log, newest first")
            .ProducesErrors(400, 401, 403);
    }
}
