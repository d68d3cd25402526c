using System.Diagnostics;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Observability;

namespace OfferHub.Lite.Host.Observability;

/// <summary>A span around each outbound webhook delivery, linked to the span that wrote its event
/// (the webhook-id header is the event id) and tagged with the event's resource.</summary>
public sealed class WebhookDeliverySpans(Infrastructure.Database.Database database) : DelegatingHandler
{
    private const string EventSql = "SELECT type, resource_type, resource_id, trace_parent FROM events WHERE id = @id";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!Telemetry.Source.HasListeners() || !request.Headers.TryGetValues("webhook-id", out var ids) || ids.FirstOrDefault() is not { } eventId)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        EventOrigin? origin;
        await using (var db = new Db(database))
        {
            origin = await db.QuerySingleOrDefaultAsync<EventOrigin>(EventSql, new { id = eventId }, cancellationToken);
        }

        using var span = Telemetry.Source.StartActivity("webhook deliver", ActivityKind.Internal);
        if (span is not null)
        {
            span.SetTag("offerhub.event_id", eventId);
            if (origin is not null)
            {
                span.SetTag("offerhub.event_type", origin.Type);
                span.SetTag("offerhub.resource_type", origin.ResourceType);
                span.SetTag("offerhub.resource_id", origin.ResourceId);
                span.SetTag($"offerhub.{origin.ResourceType}_id", origin.ResourceId);
                TraceLinks.Link(span, origin.TraceParent, origin.ResourceType, origin.ResourceId);
            }
        }

        var response = await base.SendAsync(request, cancellationToken);
        span?.SetTag("http.response.status_code", (int)response.StatusCode);
        return response;
    }

    private sealed record EventOrigin(string Type, string ResourceType, string ResourceId, string? TraceParent);
}
