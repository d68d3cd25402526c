using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Observability;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Quartz.Diagnostics;


namespace OfferHub.Lite.Host.Observability;

/// <summary>OpenTelemetry for the whole process, set up in this one place: the framework's
/// instrumentation (ASP.NET Core, HttpClient, Npgsql, Quartz), the product's own meter and
/// activity source, the Prometheus scrape endpoint and OTLP export.
/// Traces are collected only when something takes them (OTLP configured, or
/// OfferHub:Telemetry:Tracing=true); otherwise no tracer provider exists, no span is recorded,
/// and the product's StartActivity calls return null at once.</summary>
public static class TelemetrySetup
{
    private static readonly string[] OtlpVariables = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];

    public static WebApplicationBuilder AddOfferHubTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var metrics = MetricsSettings.From(configuration);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton<StateGauges>();
        builder.Services.AddSingleton<Readiness>();
        AddLogging(builder);

        var otlp = OtlpVariables.Any(variable => !string.IsNullOrWhiteSpace(configuration[variable] ?? Environment.GetEnvironmentVariable(variable)));
        var tracing = otlp || string.Equals(configuration[$"{OfferHubOptions.Section}:Telemetry:Tracing"], "true", StringComparison.OrdinalIgnoreCase);
        if (!tracing && !metrics.Enabled)
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: configuration["OTEL_SERVICE_NAME"] ?? "offerhub-lite", serviceVersion: Telemetry.VersionText));
        if (tracing)
        {
            telemetry.WithTracing(traces => traces
                .AddSource(Telemetry.Name, QuartzInstrumentation.ActivitySourceName)
                .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = http => !metrics.IsScrape(http))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddProcessor(new UrlScrubber()));
        }

        if (metrics.Enabled || otlp)
        {
            telemetry.WithMetrics(meters =>
            {
                meters.AddMeter(Telemetry.Name, QuartzInstrumentation.MeterName, "Npgsql")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (metrics.Enabled)
                {
                    // No cache: a scrape shows what happened up to that moment.
                    meters.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                }
            });
        }

        if (otlp)
        {
            // Endpoint, protocol, headers and service name come from the standard OTEL_* variables.
            telemetry.UseOtlpExporter();
        }

        if (metrics.Port is { } port)
        {
            var urls = builder.Configuration["urls"] is { Length: > 0 } configured ? configured : "http://localhost:4000";
            builder.WebHost.UseUrls(urls + ";http://0.0.0.0:" + port);
        }

        return builder;
    }

    /// <summary>Text by default; LOG_FORMAT=json writes one JSON object per line. Both carry the
    /// trace and span ids of the current activity.</summary>
    private static void AddLogging(WebApplicationBuilder builder)
    {
        var format = builder.Configuration["LOG_FORMAT"];
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "text":
                return;
            case "json":
                builder.Logging.AddConsoleFormatter<JsonLogFormatter, ConsoleFormatterOptions>();
                builder.Logging.AddConsole(console => console.FormatterName = JsonLogFormatter.FormatterName);
                return;
            default:
                throw new StartupConfigurationException("LOG_FORMAT must be text or json");
        }
    }

    /// <summary>GET /metrics (or the configured path): on the API port it needs the master key;
    /// on OfferHub:Metrics:Port it is open and served there only. The gauges that read the
    /// database are refreshed right before each scrape.</summary>
    public static void MapOfferHubMetrics(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<MetricsSettings>();
        if (!metrics.Enabled)
        {
            return;
        }

        var endpoint = app.MapPrometheusScrapingEndpoint(metrics.Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (http, next) =>
        {
            await http.RequestServices.GetRequiredService<StateGauges>().RefreshAsync(http.RequestAborted);
            await next(http);
        }), optionsName: null).ExcludeFromDescription();
        if (metrics.Port is { } port)
        {
            endpoint.RequireHost("*:" + port).AllowWithoutToken();
        }
        else
        {
            endpoint.RequireMasterKey();
        }
    }
}

/// <summary>OfferHub:Metrics:Enabled (default true), :Path (default /metrics), :Port (default: the API port).</summary>
public sealed record MetricsSettings(bool Enabled, string Path, int? Port)
{
    public static MetricsSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection($"{OfferHubOptions.Section}:Metrics");
        var enabledText = section["Enabled"];
        if (enabledText is { Length: > 0 } && !bool.TryParse(enabledText, out _))
        {
            throw new StartupConfigurationException($"{OfferHubOptions.Section}__Metrics__Enabled must be true or false");
        }

        var path = section["Path"] is { Length: > 0 } configured ? configured : "/metrics";
        if (!path.StartsWith('/') || path.StartsWith("/api/", StringComparison.Ordinal) || path.Any(char.IsWhiteSpace))
        {
            throw new StartupConfigurationException($"{OfferHubOptions.Section}__Metrics__Path must be an absolute path outside /api, e.g. /metrics");
        }

        int? port = null;
        if (section["Port"] is { Length: > 0 } portText)
        {
            port = int.TryParse(portText, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed is > 0 and < 65536
                ? parsed
                : throw new StartupConfigurationException($"{OfferHubOptions.Section}__Metrics__Port must be a TCP port (1-65535)");
        }

        return new MetricsSettings(enabledText is not { Length: > 0 } || bool.Parse(enabledText), path, port);
    }

    public bool IsScrape(HttpContext http) => Enabled && http.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase);
}
