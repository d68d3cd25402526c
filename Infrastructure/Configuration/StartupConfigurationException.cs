namespace OfferHub.Lite.Infrastructure.Configuration;

/// <summary>A bad setting: the process prints <see cref="Exception.Message"/> as one line and exits 1.
/// The message names the variable, never its value.</summary>
public sealed class StartupConfigurationException(string message) : Exception(message);
