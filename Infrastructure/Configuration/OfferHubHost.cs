namespace OfferHub.Lite.Infrastructure.Configuration;

/// <summary>How every host of this binary (server, CLI) is created.</summary>
public static class OfferHubHost
{
    /// <summary>A Debug build (`dotnet run` in the source tree) runs as Development, with the
    /// development master key, unless ASPNETCORE_ENVIRONMENT or DOTNET_ENVIRONMENT says otherwise;
    /// a Release build (the published binary, the image) runs as Production. This takes the place of
    /// a launch profile, because `dotnet run` announces a profile on stdout, ahead of any --json output.</summary>
    public static WebApplicationOptions Options(string[] args) => new()
    {
        Args = args,
        EnvironmentName = IsDebugBuild && !IsSet("ASPNETCORE_ENVIRONMENT") && !IsSet("DOTNET_ENVIRONMENT") ? Environments.Development : null,
    };

    private static bool IsSet(string variable) => !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable(variable));

#if DEBUG
    private const bool IsDebugBuild = true;
#else
    private const bool IsDebugBuild = false;
#endif
}
