using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Audit.ListAuditLogs;

public sealed class ListAuditLogsEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("/audit", "Audit")
            .MapGet("/logs", async ([AsParameters] ListAuditLogs.Query query, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(query, ct)))
            .RequireScope(Scopes.Support)
            .WithName("ListAuditLogs")
            .WithSummary("The append-only audit log, newest first")
            .ProducesErrors(400, 401, 403);
}
