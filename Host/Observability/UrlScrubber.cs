using System.Diagnostics;
using OpenTelemetry;

namespace OfferHub.Lite.Host.Observability;

/// <summary>Keeps personal data out of exported spans: Airtm's user lookup puts an e-mail address
/// in the path, and query strings may carry anything. Before any exporter sees a span, its URL
/// attributes lose their query and every path segment that holds an '@'.</summary>
public sealed class UrlScrubber : BaseProcessor<Activity>
{
    public const string Redacted = "REDACTED";

    public override void OnEnd(Activity data)
    {
        if (data.GetTagItem("url.full") is string full)
        {
            data.SetTag("url.full", Scrub(full));
        }

        if (data.GetTagItem("url.path") is string path)
        {
            data.SetTag("url.path", Scrub(path));
        }

        if (data.GetTagItem("url.query") is not null)
        {
            data.SetTag("url.query", null);
        }
    }

    public static string Scrub(string url)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        var withoutQuery = query < 0 ? url : url[..query];
        var segments = withoutQuery.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i].Contains('@', StringComparison.Ordinal) || segments[i].Contains("%40", StringComparison.OrdinalIgnoreCase))
            {
                // "https://user@host" would hold credentials; any segment with an '@' goes.
                segments[i] = i == 2 && url.Contains("://", StringComparison.Ordinal) ? segments[i][(segments[i].LastIndexOf('@') + 1)..] : Redacted;
            }
        }

        return string.Join('/', segments);
    }
}
