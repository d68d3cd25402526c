using System.Reflection;

namespace OfferHub.Lite.Features.Instance;

public static class VersionInfo
{
    public static string Current { get; } =
        typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
