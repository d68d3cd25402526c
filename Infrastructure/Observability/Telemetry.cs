using System.Diagnostics;

namespace OfferHub.Lite.Infrastructure.Observability;

/// <summary>The product's own activity source and meter name, which every floor may use. The
/// OpenTelemetry set-up that collects them is the host's (Host/Observability/TelemetrySetup).</summary>
public static class Telemetry
{
    public const string Name = "OfferHub.Lite";

    /// <summary>Spans the product starts itself: provider calls, SQLite commands, outbox runs, webhook deliveries.</summary>
    public static readonly ActivitySource Source = new(Name, VersionText);

    public static string VersionText => typeof(Telemetry).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
