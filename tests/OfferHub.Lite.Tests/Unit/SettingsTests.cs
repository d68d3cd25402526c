using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using OfferHub.Lite.Host;
using OfferHub.Lite.Infrastructure.Configuration;

namespace OfferHub.Lite.Tests.Unit;

/// <summary>The configuration every host shares: embedded defaults and operations.md's flat names.</summary>
public sealed class SettingsTests
{
    private static ConfigurationManager Configuration(params (string Name, string Value)[] values)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(values.ToDictionary(v => v.Name, v => (string?)v.Value));
        return configuration.AddOfferHubSettings();
    }

    private static OfferHubOptions Load(params (string Name, string Value)[] values) =>
        OptionsSetup.Load(Configuration(values), new HostingEnvironment { EnvironmentName = "Development" });

    [Fact]
    public void The_defaults_of_appsettings_json_travel_inside_the_binary()
    {
        var configuration = Configuration();
        Assert.Equal(("simulated", "simulated", "Information"), (configuration["OfferHub:AirtmMode"], configuration["OfferHub:TrustlessMode"], configuration["Logging:LogLevel:Default"]));
    }

    [Theory]
    [InlineData("warning", "Warning")]
    [InlineData("Debug", "Debug")]
    public void Log_level_sets_the_default_log_level(string value, string expected) =>
        Assert.Equal(expected, Configuration(("LOG_LEVEL", value))["Logging:LogLevel:Default"]);

    [Fact]
    public void Stellar_network_picks_the_usdc_issuer_and_follows_the_trustless_mode_when_unset()
    {
        var unset = Load().Trustless;
        Assert.Equal(("testnet", "GBBD47IF6LWK7P7MDEVSCWR7DPUWV3NY3DTQEVFL4NAT4AQH3ZLLFLA5"), (unset.Network, unset.UsdcIssuer));
        var mainnet = Load(("STELLAR_NETWORK", "mainnet")).Trustless;
        Assert.Equal(("mainnet", "GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN"), (mainnet.Network, mainnet.UsdcIssuer));
        Assert.Equal("GCUSTOMISSUER", Load(("STELLAR_NETWORK", "mainnet"), ("STELLAR_USDC_ISSUER", "GCUSTOMISSUER")).Trustless.UsdcIssuer);
    }

    [Fact]
    public void Stellar_network_must_match_a_real_trustless_mode()
    {
        var error = Assert.Throws<StartupConfigurationException>(() => Load(
            ("TRUSTLESS_MODE", "testnet"), ("STELLAR_NETWORK", "mainnet"), ("TRUSTLESS_API_KEY", "key"), ("TRUSTLESS_WEBHOOK_SECRET", "secret"),
            ("PLATFORM_STELLAR_ADDRESS", "GBUBJ655IZZJSZPG6IL5A3IWBMOQFF2OGAFE2KLVV4SGAFB2DSDC3NHY")));
        Assert.Equal("STELLAR_NETWORK must match TRUSTLESS_MODE ('testnet').", error.Message);
    }

    [Fact]
    public void Sqlite_group_commit_is_a_whole_number_from_1_to_1000()
    {
        Assert.Equal(64, Load().SqliteGroupCommit);
        Assert.Equal(1, Load(("OFFERHUB_SQLITE_GROUP_COMMIT", "1")).SqliteGroupCommit);
        Assert.Equal("OFFERHUB_SQLITE_GROUP_COMMIT must be a whole number.",
            Assert.Throws<StartupConfigurationException>(() => Load(("OFFERHUB_SQLITE_GROUP_COMMIT", "many"))).Message);
        Assert.Equal("OFFERHUB_SQLITE_GROUP_COMMIT must be between 1 and 1000.",
            Assert.Throws<StartupConfigurationException>(() => Load(("OFFERHUB_SQLITE_GROUP_COMMIT", "0"))).Message);
    }
}
