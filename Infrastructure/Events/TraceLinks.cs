using System.Diagnostics;
using System.Text.Json;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Infrastructure.Events;

/// <summary>How one payment is followed across requests, callbacks, jobs and instances. Every
/// event written by a recorded span tags that span with the resource ids it concerns
/// (offerhub.topup_id, offerhub.order_id, ...) and stores the span's trace context with the event;
/// a later span acting on the same resource gets a span link to the span that first wrote an
/// event for it. Nothing is read or written while no tracer records.</summary>
public static class TraceLinks
{
    private const string FirstTraceSql = """
        SELECT trace_parent FROM events
        WHERE resource_type = @resourceType AND resource_id = @resourceId AND trace_parent IS NOT NULL
        ORDER BY id LIMIT 1
        """;

    private const string LinkedProperty = "offerhub.linked";

    /// <summary>The current span's trace context to store with an event, when a tracer records it.</summary>
    public static string? Current() => Activity.Current is { Recorded: true } activity ? activity.Id : null;

    /// <summary>Tags the current span with the event's resource (and the order it belongs to) and
    /// links it to the trace where each of them started.</summary>
    public static async Task OnEventAsync(Db db, string resourceType, string resourceId, string dataJson, CancellationToken ct)
    {
        if (Activity.Current is not { Recorded: true } activity)
        {
            return;
        }

        var resources = new List<(string Type, string Id)> { (resourceType, resourceId) };
        if (resourceType != "order" && OrderIdOf(dataJson) is { } orderId)
        {
            resources.Add(("order", orderId));
        }

        if (resourceType != "user" && activity.GetTagItem("offerhub.resource_id") is null)
        {
            activity.SetTag("offerhub.resource_type", resourceType);
            activity.SetTag("offerhub.resource_id", resourceId);
        }

        var linked = activity.GetCustomProperty(LinkedProperty) as HashSet<string> ?? [];
        activity.SetCustomProperty(LinkedProperty, linked);
        foreach (var (type, id) in resources)
        {
            activity.SetTag($"offerhub.{type}_id", id);
            if (!linked.Add(type + ":" + id))
            {
                continue;
            }

            var origin = await db.QuerySingleOrDefaultAsync<string>(FirstTraceSql, new { resourceType = type, resourceId = id }, ct);
            Link(activity, origin, type, id);
        }
    }

    /// <summary>Links a span to the span a stored trace context names, unless it is in the same trace.</summary>
    public static void Link(Activity activity, string? traceParent, string resourceType, string resourceId)
    {
        if (traceParent is not null && ActivityContext.TryParse(traceParent, null, out var origin) && origin.TraceId != activity.TraceId
            && !activity.Links.Any(l => l.Context.TraceId == origin.TraceId && l.Context.SpanId == origin.SpanId))
        {
            activity.AddLink(new ActivityLink(origin, new ActivityTagsCollection { ["offerhub.resource_type"] = resourceType, ["offerhub.resource_id"] = resourceId }));
        }
    }

    private static string? OrderIdOf(string dataJson)
    {
        using var data = JsonDocument.Parse(dataJson);
        return data.RootElement.ValueKind == JsonValueKind.Object && data.RootElement.TryGetProperty("order_id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;
    }
}
