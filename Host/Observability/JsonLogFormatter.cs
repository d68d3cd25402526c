using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using OfferHub.Lite.Infrastructure.Audit;

namespace OfferHub.Lite.Host.Observability;

/// <summary>LOG_FORMAT=json: one flat JSON object per line, with timestamp, level, category,
/// message, request_id, trace_id, span_id, the resource ids the current span was tagged with
/// (offerhub.*_id) and the message's own named values. The same message text as the text format,
/// so what the code keeps out of logs stays out; string values that are whole e-mail addresses
/// are masked as in the audit log.</summary>
public sealed class JsonLogFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "offerhub-json";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", Level(logEntry.LogLevel));
            json.WriteString("category", logEntry.Category);
            json.WriteString("message", message);
            if (logEntry.Exception is { } exception)
            {
                json.WriteString("exception", exception.ToString());
            }

            var written = new HashSet<string>(StringComparer.Ordinal) { "timestamp", "level", "category", "message", "exception" };
            scopeProvider?.ForEachScope((scope, state) => WritePairs(state.Json, state.Written, scope as IEnumerable<KeyValuePair<string, object?>>), (Json: json, Written: written));
            var activity = Activity.Current;
            if (activity is not null)
            {
                WriteOnce(json, written, "trace_id", activity.TraceId.ToHexString());
                WriteOnce(json, written, "span_id", activity.SpanId.ToHexString());
                for (var span = activity; span is not null; span = span.Parent)
                {
                    foreach (var (key, value) in span.TagObjects)
                    {
                        if (key.StartsWith("offerhub.", StringComparison.Ordinal) && key.EndsWith("_id", StringComparison.Ordinal) && value is string id)
                        {
                            WriteOnce(json, written, key["offerhub.".Length..], id);
                        }
                    }
                }
            }

            WritePairs(json, written, logEntry.State as IEnumerable<KeyValuePair<string, object?>>);
            json.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        textWriter.Write(Environment.NewLine);
    }

    private static void WritePairs(Utf8JsonWriter json, HashSet<string> written, IEnumerable<KeyValuePair<string, object?>>? pairs)
    {
        if (pairs is null)
        {
            return;
        }

        foreach (var (key, value) in pairs)
        {
            // The scope's trace ids are written from the activity; the template is the message already.
            if (key is "{OriginalFormat}" or "TraceId" or "SpanId" or "ParentId")
            {
                continue;
            }

            var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(key);
            switch (value)
            {
                case null:
                    break;
                case bool flag when written.Add(name):
                    json.WriteBoolean(name, flag);
                    break;
                case int or long or short or byte when written.Add(name):
                    json.WriteNumber(name, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case double or float or decimal when written.Add(name):
                    json.WriteNumber(name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    WriteOnce(json, written, name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
                    break;
            }
        }
    }

    private static void WriteOnce(Utf8JsonWriter json, HashSet<string> written, string name, string value)
    {
        if (written.Add(name))
        {
            json.WriteString(name, Redactor.MaskEmail(value));
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "information",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };
}
