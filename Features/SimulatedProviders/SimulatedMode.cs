using OfferHub.Lite.Features.SimulatedProviders.Airtm;
using OfferHub.Lite.Features.SimulatedProviders.TrustlessWork;
using OfferHub.Lite.Infrastructure.Configuration;

namespace OfferHub.Lite.Features.SimulatedProviders;

/// <summary>Simulated mode: the built-in Airtm and Trustless Work, which the real clients call over
/// HTTP as they would call the providers. What the composition root wires and maps.</summary>
public static class SimulatedMode
{
    /// <summary>The simulators and their callback senders (always registered; mapped only in simulated mode).</summary>
    public static IServiceCollection AddSimulatedProviders(this IServiceCollection services)
    {
        services.AddHttpClient(AirtmCallbacks.ClientName, http => http.Timeout = TimeSpan.FromSeconds(15));
        services.AddKeyedSingleton<SimulatorFaults>(AirtmSimulatorEndpoints.Faults);
        services.AddSingleton<AirtmSimulator>();
        services.AddSingleton<AirtmCallbacks>();
        services.AddHostedService(sp => sp.GetRequiredService<AirtmCallbacks>());
        services.AddHttpClient(TrustlessCallbacks.ClientName, http => http.Timeout = TimeSpan.FromSeconds(15));
        services.AddKeyedSingleton<SimulatorFaults>(TrustlessSimulatorEndpoints.Faults);
        services.AddSingleton<TrustlessSimulator>();
        services.AddSingleton<TrustlessCallbacks>();
        services.AddHostedService(sp => sp.GetRequiredService<TrustlessCallbacks>());
        return services;
    }

    /// <summary>Maps the simulator of each provider whose mode is simulated.</summary>
    public static void MapSimulatedProviders(this IEndpointRouteBuilder app, OfferHubOptions options)
    {
        if (options.AirtmMode == "simulated")
        {
            app.MapAirtmSimulator();
        }

        if (options.TrustlessMode == "simulated")
        {
            app.MapTrustlessSimulator();
        }
    }
}
