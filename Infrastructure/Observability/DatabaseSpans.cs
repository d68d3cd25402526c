using System.Diagnostics;

namespace OfferHub.Lite.Infrastructure.Observability;

/// <summary>Client spans for SQLite statements, in the shape Npgsql gives PostgreSQL's: the
/// statement text (parameters stay parameters, so no value reaches a span) and its operation.</summary>
public static class DatabaseSpans
{
    public static Activity? StartSqlite(string sql)
    {
        if (!Telemetry.Source.HasListeners())
        {
            return null;
        }

        var text = sql.AsSpan().TrimStart();
        var end = text.IndexOfAny(' ', '\n', '\r');
        var operation = (end < 0 ? text : text[..end]).ToString().ToUpperInvariant();
        var activity = Telemetry.Source.StartActivity("sqlite " + operation, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", "sqlite");
            activity.SetTag("db.operation.name", operation);
            activity.SetTag("db.query.text", sql);
        }

        return activity;
    }

    /// <summary>Marks the span failed; always false, for use in an exception filter.</summary>
    public static bool Failed(Activity? span, Exception failure)
    {
        span?.SetStatus(ActivityStatusCode.Error, failure.GetType().Name);
        return false;
    }
}
