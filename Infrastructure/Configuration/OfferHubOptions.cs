namespace OfferHub.Lite.Infrastructure.Configuration;

/// <summary>Everything configurable. Defaults live in appsettings.json; the flat operator
/// names of operations.md (DATABASE_URL, OFFERHUB_MASTER_KEY, ...) override them.</summary>
public sealed class OfferHubOptions
{
    public const string Section = "OfferHub";

    public string? DatabaseUrl { get; set; }
    public string? RedisUrl { get; set; }
    public string? MasterKey { get; set; }
    public string Environment { get; set; } = "sandbox";
    public string PublicBaseUrl { get; set; } = "http://localhost:4000";
    public string AirtmMode { get; set; } = "simulated";
    public string TrustlessMode { get; set; } = "simulated";
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Maps POST /sandbox/credits (money without a top-up) for tests and demos.
    /// Refused at start in production.</summary>
    public bool SandboxCredits { get; set; }
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
    public int IdempotencyLockSeconds { get; set; } = 60;
    /// <summary>Empty means the default, USD: configuration binding appends to an initialised
    /// array instead of replacing it, so the default is applied after binding.</summary>
    public string[] Currencies { get; set; } = [];
    public FeatureSwitches Features { get; set; } = new();
    public AmountLimits Limits { get; set; } = new();

    public bool IsProduction => Environment == "production";

    /// <summary>Flat variable names accepted next to the sectioned ones, because operators expect them.</summary>
    public static readonly IReadOnlyDictionary<string, string> FlatNames = new Dictionary<string, string>
    {
        ["DATABASE_URL"] = nameof(DatabaseUrl),
        ["REDIS_URL"] = nameof(RedisUrl),
        ["OFFERHUB_MASTER_KEY"] = nameof(MasterKey),
        ["OFFERHUB_ENV"] = nameof(Environment),
        ["PUBLIC_BASE_URL"] = nameof(PublicBaseUrl),
        ["AIRTM_MODE"] = nameof(AirtmMode),
        ["TRUSTLESS_MODE"] = nameof(TrustlessMode),
    };
}

public sealed class FeatureSwitches
{
    public bool TopupsEnabled { get; set; } = true;
    public bool WithdrawalsEnabled { get; set; } = true;
    public bool DisputesEnabled { get; set; } = true;
}

/// <summary>Limits as 2-decimal strings, the same format as API amounts.</summary>
public sealed class AmountLimits
{
    public string MaxOrderAmount { get; set; } = "10000.00";
    public string MinTopupAmount { get; set; } = "1.00";
    public string MinWithdrawalAmount { get; set; } = "5.00";
}
