using Microsoft.Extensions.Options;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Stellar;
using OfferHub.Lite.Infrastructure.Webhooks;

namespace OfferHub.Lite.Host;

public static class OptionsSetup
{
    /// <summary>Binds the options, applies the flat names and validates them once, eagerly,
    /// so a bad value stops the process at start with one clear line.</summary>
    public static OfferHubOptions Load(IConfiguration configuration, IHostEnvironment hostEnvironment)
    {
        var options = new OfferHubOptions();
        configuration.GetSection(OfferHubOptions.Section).Bind(options);
        foreach (var (flat, key) in OfferHubOptions.FlatNames)
        {
            if (configuration[flat] is { } value && !string.IsNullOrWhiteSpace(value))
            {
                BindFlat(options, flat, key, value.Trim());
            }
        }

        options.Currencies = options.Currencies.Length == 0 ? ["USD"] : [.. options.Currencies.Distinct()];
        Validate(options, hostEnvironment);
        ApplyAirtmDefaults(options);
        if (options.AirtmMode == "simulated" && options.Reconcile.AirtmOpeningBalance == "0.00")
        {
            options.Reconcile.AirtmOpeningBalance = "1000000.00";
        }
        ApplyTrustlessDefaults(options);
        if (options.Webhooks.RetryScheduleSeconds.Length == 0)
        {
            options.Webhooks.RetryScheduleSeconds = [5, 300, 1800, 7200, 18000, 36000, 36000];
        }

        options.Limits.ParseOnce();
        options.Trustless.TreasuryFloatCents = ZeroOrAmount(options.Trustless.TreasuryFloat);
        options.Reconcile.AirtmOpeningCents = ZeroOrAmount(options.Reconcile.AirtmOpeningBalance);
        return options;
    }

    private static void Validate(OfferHubOptions options, IHostEnvironment hostEnvironment)
    {
        if (options.Environment is not ("sandbox" or "production"))
        {
            throw new StartupConfigurationException("OFFERHUB_ENV must be 'sandbox' or 'production'.");
        }

        if (string.IsNullOrWhiteSpace(options.MasterKey))
        {
            if (!hostEnvironment.IsDevelopment())
            {
                throw new StartupConfigurationException("OFFERHUB_MASTER_KEY is required outside Development.");
            }
        }
        else if (options.MasterKey.Length < 16)
        {
            throw new StartupConfigurationException("OFFERHUB_MASTER_KEY must be at least 16 characters long.");
        }

        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var publicUri) || publicUri.Scheme is not ("http" or "https"))
        {
            throw new StartupConfigurationException("PUBLIC_BASE_URL must be an absolute http(s) URL.");
        }

        if (options.AirtmMode is not ("simulated" or "sandbox" or "production"))
        {
            throw new StartupConfigurationException("AIRTM_MODE must be 'simulated', 'sandbox' or 'production'.");
        }

        if (options.TrustlessMode is not ("simulated" or "testnet" or "mainnet"))
        {
            throw new StartupConfigurationException("TRUSTLESS_MODE must be 'simulated', 'testnet' or 'mainnet'.");
        }

        if (options.IsProduction && (options.AirtmMode == "simulated" || options.TrustlessMode == "simulated"))
        {
            throw new StartupConfigurationException("OFFERHUB_ENV=production cannot use simulated providers (AIRTM_MODE, TRUSTLESS_MODE).");
        }

        if (options.IsProduction && options.SandboxCredits)
        {
            throw new StartupConfigurationException("OfferHub:SandboxCredits cannot be on with OFFERHUB_ENV=production.");
        }

        if (options.Currencies.Any(c => c.Length != 3 || !c.All(char.IsAsciiLetterUpper)))
        {
            throw new StartupConfigurationException("OfferHub:Currencies must list ISO 4217 codes such as USD.");
        }

        foreach (var (name, value) in new[]
                 {
                     ("OfferHub:Limits:MaxOrderAmount", options.Limits.MaxOrderAmount),
                     ("OfferHub:Limits:MinTopupAmount", options.Limits.MinTopupAmount),
                     ("OfferHub:Limits:MinWithdrawalAmount", options.Limits.MinWithdrawalAmount),
                 })
        {
            if (!Amount.TryParse(value, out _))
            {
                throw new StartupConfigurationException($"{name} must be a positive amount with two decimals, such as 10.00.");
            }
        }

        if (options.AirtmMode != "simulated")
        {
            foreach (var (name, value) in new[] { ("AIRTM_API_KEY", options.Airtm.ApiKey), ("AIRTM_API_SECRET", options.Airtm.ApiSecret), ("AIRTM_WEBHOOK_SECRET", options.Airtm.WebhookSecret) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    throw new StartupConfigurationException($"{name} is required when AIRTM_MODE is '{options.AirtmMode}'.");
                }
            }
        }

        if (!string.IsNullOrWhiteSpace(options.Airtm.WebhookSecret) && !WebhookSignature.IsSecret(options.Airtm.WebhookSecret))
        {
            throw new StartupConfigurationException("AIRTM_WEBHOOK_SECRET must be 'whsec_' followed by base64.");
        }

        if (options.TrustlessMode != "simulated")
        {
            // No TRUSTLESS_WEBHOOK_SECRET: Trustless Work sends no webhooks; the intake is optional.
            foreach (var (name, value) in new[] { ("TRUSTLESS_API_KEY", options.Trustless.ApiKey) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    throw new StartupConfigurationException($"{name} is required when TRUSTLESS_MODE is '{options.TrustlessMode}'.");
                }
            }
        }

        if (options.ProcessDeadAfterSeconds is < 3 or > 300)
        {
            throw new StartupConfigurationException("OfferHub__ProcessDeadAfterSeconds must be 3 to 300.");
        }

        if (options.Trustless.Signing is not (null or "client" or "external"))
        {
            throw new StartupConfigurationException("TRUSTLESS_SIGNING must be 'client' or 'external'.");
        }

        if (options.Trustless.Signing == "external" && options.TrustlessMode != "simulated"
            && !(Uri.TryCreate(options.Trustless.SignerUrl, UriKind.Absolute, out var signer) && signer.Scheme == Uri.UriSchemeHttps))
        {
            throw new StartupConfigurationException("TRUSTLESS_SIGNER_URL must be an https URL when TRUSTLESS_SIGNING is 'external'.");
        }

        if ((options.TrustlessMode != "simulated" || options.Trustless.PlatformAddress is not null) && !StellarAddress.IsValid(options.Trustless.PlatformAddress))
        {
            throw new StartupConfigurationException("PLATFORM_STELLAR_ADDRESS must be a valid Stellar public key (G...).");
        }

        if (options.Trustless.Network is not (null or "testnet" or "mainnet"))
        {
            throw new StartupConfigurationException("STELLAR_NETWORK must be 'testnet' or 'mainnet'.");
        }

        if (options.Trustless.Network is { } network && options.TrustlessMode != "simulated" && network != options.TrustlessMode)
        {
            throw new StartupConfigurationException($"STELLAR_NETWORK must match TRUSTLESS_MODE ('{options.TrustlessMode}').");
        }

        foreach (var (name, value) in new[] { ("TREASURY_STELLAR_ADDRESS", options.Trustless.TreasuryAddress), ("DISPUTE_RESOLVER_STELLAR_ADDRESS", options.Trustless.DisputeResolverAddress) })
        {
            if ((options.TrustlessMode != "simulated" || value is not null) && !StellarAddress.IsValid(value))
            {
                throw new StartupConfigurationException($"{name} must be a valid Stellar public key (G...).");
            }
        }

        if (options.Trustless.DisputeResolverAddress is { } resolver && (resolver == options.Trustless.PlatformAddress || resolver == options.Trustless.TreasuryAddress))
        {
            throw new StartupConfigurationException("DISPUTE_RESOLVER_STELLAR_ADDRESS must differ from the platform and treasury addresses: the platform stands in for users who open disputes.");
        }

        if (options.Trustless.ProtocolFeePercent is < 0 or >= 100 || options.Trustless.PlatformFeePercent is < 0 or >= 100
            || options.Trustless.ProtocolFeePercent + options.Trustless.PlatformFeePercent >= 100)
        {
            throw new StartupConfigurationException("OfferHub:Trustless:ProtocolFeePercent and PlatformFeePercent must be between 0 and 100 (together below 100).");
        }

        if (!(options.Trustless.TreasuryFloat == "0.00" || Amount.TryParse(options.Trustless.TreasuryFloat, out _)))
        {
            throw new StartupConfigurationException("TREASURY_FLOAT must be an amount with two decimals, such as 1000.00.");
        }

        if (!(options.Reconcile.AirtmOpeningBalance == "0.00" || Amount.TryParse(options.Reconcile.AirtmOpeningBalance, out _)))
        {
            throw new StartupConfigurationException("OfferHub:Reconcile:AirtmOpeningBalance must be an amount with two decimals, such as 1000.00.");
        }

        if (!string.IsNullOrWhiteSpace(options.RedisUrl) && !RedisSettings.TryParse(options.RedisUrl, out _))
        {
            throw new StartupConfigurationException("REDIS_URL must look like redis://[:password@]host:port[/db].");
        }

        if (options.Airtm.TimeoutSeconds is < 1 or > 120)
        {
            throw new StartupConfigurationException("OfferHub:Airtm:TimeoutSeconds must be between 1 and 120.");
        }

        if (options.SqliteGroupCommit is < 1 or > 1000)
        {
            throw new StartupConfigurationException("OFFERHUB_SQLITE_GROUP_COMMIT must be between 1 and 1000.");
        }

        // Throws StartupConfigurationException naming DATABASE_URL when it cannot be understood.
        _ = DatabaseSettings.From(options);
    }

    /// <summary>One flat variable, bound by the configuration binder as if it were given under its
    /// sectioned <paramref name="key"/>; it wins over the sectioned value. Only whole-number options
    /// can fail to convert (the others are text), so the failure is told as such, naming the variable.</summary>
    private static void BindFlat(OfferHubOptions options, string flat, string key, string value)
    {
        try
        {
            new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build().Bind(options);
        }
        catch (InvalidOperationException)
        {
            throw new StartupConfigurationException($"{flat} must be a whole number.");
        }
    }

    /// <summary>A validated balance setting in cents: "0.00" (none) or an amount.</summary>
    private static long ZeroOrAmount(string text) => text == "0.00" ? 0 : Amount.Parse(text);

    private const string TestnetUsdcIssuer = "GBBD47IF6LWK7P7MDEVSCWR7DPUWV3NY3DTQEVFL4NAT4AQH3ZLLFLA5";
    private const string MainnetUsdcIssuer = "GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN";

    private static void ApplyTrustlessDefaults(OfferHubOptions options)
    {
        var trustless = options.Trustless;
        var simulated = options.TrustlessMode == "simulated";
        var publicBase = options.PublicBaseUrl.TrimEnd('/');
        trustless.ApiUrl = string.IsNullOrWhiteSpace(trustless.ApiUrl)
            ? options.TrustlessMode switch
            {
                "simulated" => publicBase + "/sim/trustless-work",
                "testnet" => "https://dev.api.trustlesswork.com",
                _ => "https://api.trustlesswork.com",
            }
            : trustless.ApiUrl.TrimEnd('/');
        if (simulated)
        {
            trustless.ApiKey ??= "sim_trustless_key";
            trustless.WebhookSecret ??= Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            trustless.Signing ??= "external";
            trustless.PlatformAddress ??= "GBUBJ655IZZJSZPG6IL5A3IWBMOQFF2OGAFE2KLVV4SGAFB2DSDC3NHY";
            trustless.TreasuryAddress ??= SimulatedAddress("treasury");
            trustless.DisputeResolverAddress ??= SimulatedAddress("dispute-resolver");
            if (trustless.TreasuryFloat == "0.00")
            {
                trustless.TreasuryFloat = "1000000.00";
            }
            trustless.SignerUrl ??= publicBase + "/sim/trustless-work/signer";
        }

        trustless.Signing ??= "client";
        trustless.Network ??= options.TrustlessMode == "mainnet" ? "mainnet" : "testnet";
        if (string.IsNullOrWhiteSpace(trustless.UsdcIssuer))
        {
            trustless.UsdcIssuer = trustless.Network == "mainnet" ? MainnetUsdcIssuer : TestnetUsdcIssuer;
        }
    }

    /// <summary>A fixed, valid account id for a simulated wallet.</summary>
    private static string SimulatedAddress(string name) =>
        StellarAddress.FromPublicKey(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("offerhub-simulated-" + name)));

    private static void ApplyAirtmDefaults(OfferHubOptions options)
    {
        var airtm = options.Airtm;
        var simulated = options.AirtmMode == "simulated";
        var publicBase = options.PublicBaseUrl.TrimEnd('/');
        airtm.BaseUrl = string.IsNullOrWhiteSpace(airtm.BaseUrl)
            ? options.AirtmMode switch
            {
                "simulated" => publicBase + "/sim/airtm/v2",
                "sandbox" => "https://api.stg.enterprise.airtm.com/v2",
                _ => "https://api.enterprise.airtm.com/v2",
            }
            : airtm.BaseUrl.TrimEnd('/');
        // Airtm's CreatePayin "Usage": send the payer to https://<API host>/payin/:id.
        airtm.CheckoutUrlTemplate ??= (airtm.BaseUrl.EndsWith("/v2", StringComparison.Ordinal) ? airtm.BaseUrl[..^3] : airtm.BaseUrl) + "/payin/{id}";
        if (simulated)
        {
            airtm.ApiKey ??= "sim_enterprise_key";
            // Fixed, so that the CLI (reconcile) reaches the simulator of a running server; the
            // simulator only exists in sandbox.
            airtm.ApiSecret ??= "sim_enterprise_secret";
            airtm.WebhookSecret ??= WebhookSignature.NewSecret();
        }

        if (airtm.SimulatorRetryDelaysMs.Length == 0)
        {
            airtm.SimulatorRetryDelaysMs = [0, 1_000, 5_000, 30_000, 120_000];
        }
    }

    public static IServiceCollection AddOfferHubOptions(this IServiceCollection services, OfferHubOptions options) =>
        services.AddSingleton(options).AddSingleton(Options.Create(options));
}
