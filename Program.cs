using OfferHub.Lite.Infrastructure;
using OfferHub.Lite.Infrastructure.Cli;
using OfferHub.Lite.Infrastructure.Configuration;

try
{
    if (OfferHubCli.Handles(args))
    {
        return await OfferHubCli.RunAsync(args);
    }

    var builder = WebApplication.CreateBuilder(args);
    builder.AddOfferHub();
    var app = builder.Build();
    await app.UseOfferHubAsync();
    await app.RunAsync();
    return 0;
}
catch (StartupConfigurationException configuration)
{
    await Console.Error.WriteLineAsync("offerhub: " + configuration.Message);
    return 1;
}

/// <summary>Entry point type, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
