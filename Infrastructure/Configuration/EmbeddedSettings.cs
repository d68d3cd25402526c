using Microsoft.Extensions.FileProviders;

namespace OfferHub.Lite.Infrastructure.Configuration;

/// <summary>The configuration sources every host of this binary shares (server, CLI, demo).</summary>
public static class EmbeddedSettings
{
    private static readonly string[] LogLevels = ["Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"];

    /// <summary>appsettings.json is compiled into the assembly and read first, so the single-file
    /// binary has every default with nothing beside it; an appsettings.json file next to it still
    /// overrides. Then operations.md's flat LOG_LEVEL sets the default log level.</summary>
    public static ConfigurationManager AddOfferHubSettings(this ConfigurationManager configuration)
    {
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            FileProvider = new EmbeddedFileProvider(typeof(EmbeddedSettings).Assembly, baseNamespace: string.Empty),
            Path = "appsettings.json",
            Optional = false,
        });
        if (configuration["LOG_LEVEL"] is { Length: > 0 } level)
        {
            var known = LogLevels.FirstOrDefault(l => string.Equals(l, level.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new StartupConfigurationException("LOG_LEVEL must be one of " + string.Join(", ", LogLevels) + ".");
            configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = known });
        }

        return configuration;
    }
}
