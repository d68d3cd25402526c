using OfferHub.Lite.Host;
using OfferHub.Lite.Host.Cli;
using OfferHub.Lite.Infrastructure.Configuration;

try
{
    if (OfferHubCli.Handles(args))
    {
        return await OfferHubCli.RunAsync(args);
    }

    var builder = WebApplication.CreateBuilder(OfferHubHost.Options(args));
    builder.AddOfferHub();
    await using var app = builder.Build();
    try
    {
        await app.UseOfferHubAsync();
        await app.StartAsync();
    }
    catch (Exception failure)
    {
        // The services that did start (those before the server) are stopped, so that they end
        // quietly instead of reporting their cancellation as a fault.
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await app.StopAsync(stopping.Token);
        }

        await Console.Error.WriteLineAsync("offerhub: " + StartupFailure.Describe(failure));
        return 1;
    }

    await app.WaitForShutdownAsync();
    return 0;
}
catch (StartupConfigurationException configuration)
{
    await Console.Error.WriteLineAsync("offerhub: " + configuration.Message);
    return 1;
}

/// <summary>Entry point type, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
