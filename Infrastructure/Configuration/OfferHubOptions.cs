using System.Text.Json.Serialization;

namespace OfferHub.Lite.Infrastructure.Configuration;

/// <summary>Everything configurable. Defaults live in appsettings.json; the flat operator
/// names of operations.md (DATABASE_URL, OFFERHUB_MASTER_KEY, ...) override them.</summary>
public sealed class OfferHubOptions
{
    public const string Section = "OfferHub";

    public string? DatabaseUrl { get; set; }

    /// <summary>The PostgreSQL password, given apart from DATABASE_URL so that any character
    /// (@, /, :) needs no URL-encoding; it replaces a password in the URL.</summary>
    public string? DatabasePassword { get; set; }

    /// <summary>Where the default SQLite file goes (empty DATABASE_URL): see DatabaseSettings.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>How many SQLite write transactions may share one durable commit; 1 turns group commit off.</summary>
    public int SqliteGroupCommit { get; set; } = 64;
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

    /// <summary>How long a server process may miss its heartbeat before the locks it holds (an
    /// Idempotency-Key in progress, an escrow lease) are taken over (3 to 300).</summary>
    public int ProcessDeadAfterSeconds { get; set; } = 15;

    /// <summary>How long an instance trusts its last read of the maintenance switch.</summary>
    public int MaintenanceCacheMs { get; set; } = 1000;
    /// <summary>Empty means the default, USD: configuration binding appends to an initialised
    /// array instead of replacing it, so the default is applied after binding.</summary>
    public string[] Currencies { get; set; } = [];
    public FeatureSwitches Features { get; set; } = new();
    public AmountLimits Limits { get; set; } = new();
    public AirtmOptions Airtm { get; set; } = new();
    public TrustlessOptions Trustless { get; set; } = new();
    public ReconcileOptions Reconcile { get; set; } = new();
    public RateLimitOptions RateLimits { get; set; } = new();
    public EventOptions Events { get; set; } = new();
    public JobOptions Jobs { get; set; } = new();
    public WebhookOptions Webhooks { get; set; } = new();
    public ConsoleOptions Console { get; set; } = new();

    public bool IsProduction => Environment == "production";

    /// <summary>Flat variable names accepted next to the sectioned ones, because operators expect
    /// them: each is bound as the option at its key (the path below the OfferHub section).</summary>
    public static readonly IReadOnlyDictionary<string, string> FlatNames = new Dictionary<string, string>
    {
        ["DATABASE_URL"] = nameof(DatabaseUrl),
        ["DATABASE_PASSWORD"] = nameof(DatabasePassword),
        ["OFFERHUB_DATA_DIR"] = nameof(DataDirectory),
        ["OFFERHUB_SQLITE_GROUP_COMMIT"] = nameof(SqliteGroupCommit),
        ["REDIS_URL"] = nameof(RedisUrl),
        ["OFFERHUB_MASTER_KEY"] = nameof(MasterKey),
        ["OFFERHUB_ENV"] = nameof(Environment),
        ["PUBLIC_BASE_URL"] = nameof(PublicBaseUrl),
        ["AIRTM_MODE"] = nameof(AirtmMode),
        ["AIRTM_API_KEY"] = "Airtm:ApiKey",
        ["AIRTM_API_SECRET"] = "Airtm:ApiSecret",
        ["AIRTM_WEBHOOK_SECRET"] = "Airtm:WebhookSecret",
        ["AIRTM_BASE_URL"] = "Airtm:BaseUrl",
        ["TRUSTLESS_MODE"] = nameof(TrustlessMode),
        ["TRUSTLESS_API_KEY"] = "Trustless:ApiKey",
        ["TRUSTLESS_API_URL"] = "Trustless:ApiUrl",
        ["TRUSTLESS_WEBHOOK_SECRET"] = "Trustless:WebhookSecret",
        ["TRUSTLESS_SIGNING"] = "Trustless:Signing",
        ["TRUSTLESS_SIGNER_URL"] = "Trustless:SignerUrl",
        ["STELLAR_USDC_ISSUER"] = "Trustless:UsdcIssuer",
        ["STELLAR_NETWORK"] = "Trustless:Network",
        ["PLATFORM_STELLAR_ADDRESS"] = "Trustless:PlatformAddress",
        ["TREASURY_STELLAR_ADDRESS"] = "Trustless:TreasuryAddress",
        ["DISPUTE_RESOLVER_STELLAR_ADDRESS"] = "Trustless:DisputeResolverAddress",
        ["TREASURY_FLOAT"] = "Trustless:TreasuryFloat",
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

    /// <summary>The limits in cents, parsed once at start after validation (not bound), so that no
    /// request parses them again. Not part of GET /config, which shows the amounts as strings.</summary>
    [JsonIgnore]
    public long MaxOrderCents { get; private set; }

    [JsonIgnore]
    public long MinTopupCents { get; private set; }

    [JsonIgnore]
    public long MinWithdrawalCents { get; private set; }

    internal void ParseOnce()
    {
        MaxOrderCents = Money.Amount.Parse(MaxOrderAmount);
        MinTopupCents = Money.Amount.Parse(MinTopupAmount);
        MinWithdrawalCents = Money.Amount.Parse(MinWithdrawalAmount);
    }
}

/// <summary>Airtm access. In simulated mode the credentials default to values shared with the
/// built-in simulator (the webhook secret is generated per process) and the base URL is the
/// simulator's own path.</summary>
public sealed class AirtmOptions
{
    public string? ApiKey { get; set; }
    public string? ApiSecret { get; set; }
    public string? WebhookSecret { get; set; }
    public string? BaseUrl { get; set; }

    /// <summary>Where a payer confirms a pay-in; {hash} and {id} are the pay-in's. Defaults to the
    /// address of Airtm's CreatePayin "Usage" (https://&lt;API host&gt;/payin/{id}).</summary>
    public string? CheckoutUrlTemplate { get; set; }
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Svix's timestamp tolerance for webhook signatures.</summary>
    public int WebhookToleranceSeconds { get; set; } = 300;

    /// <summary>Delays between the simulator's callback attempts (Svix uses 0 s, 5 s, 5 min, 30 min, 2 h, ...;
    /// the simulator compresses them).</summary>
    public int[] SimulatorRetryDelaysMs { get; set; } = [];
}

public sealed class RateLimitOptions
{
    public int TopupsPerUserPerMinute { get; set; } = 10;
    public int WithdrawalsPerUserPerMinute { get; set; } = 5;
    public int PerApiKeyPerMinute { get; set; } = 100;
}

/// <summary>Trustless Work access and the escrow roles. In simulated mode the key, webhook secret
/// and signer default to the built-in simulator's.</summary>
public sealed class TrustlessOptions
{
    public string? ApiKey { get; set; }
    public string? ApiUrl { get; set; }
    public string? WebhookSecret { get; set; }

    /// <summary>client: signed transactions come back through POST /signatures/{id}/submit;
    /// external: the signing service at SignerUrl is asked. Simulated mode defaults to external
    /// with the simulator's signer, so signatures complete by themselves.</summary>
    public string? Signing { get; set; }
    public string? SignerUrl { get; set; }

    /// <summary>testnet or mainnet; follows TRUSTLESS_MODE when not set (mainnet only with mainnet)
    /// and picks the default USDC issuer.</summary>
    public string? Network { get; set; }

    /// <summary>Circle's USDC issuer on <see cref="Network"/> unless set (Trustless Work's trustline page).</summary>
    public string UsdcIssuer { get; set; } = string.Empty;

    /// <summary>The platform's Stellar address: deployer (platformAddress), release signer and
    /// platform-fee receiver; it also stands in for a user who has linked no address. Required
    /// outside simulated mode.</summary>
    public string? PlatformAddress { get; set; }

    /// <summary>The marketplace's treasury wallet (docs/money-model.md): it funds every escrow and
    /// receives every release and refund. Its key stays with the external signer or the client.</summary>
    public string? TreasuryAddress { get; set; }

    /// <summary>The support desk's address, the escrows' disputeResolver: never a party that opens
    /// a dispute, so it must differ from the platform (and treasury) address.</summary>
    public string? DisputeResolverAddress { get; set; }

    /// <summary>Trustless Work's own fee on released funds, in percent (its docs: 0.3 on the
    /// network). Must match the network the orchestrator talks to; 0 allowed.</summary>
    public decimal ProtocolFeePercent { get; set; }

    /// <summary>The platformFee of every deploy, in percent, paid to the platform address at release; 0 allowed.</summary>
    public decimal PlatformFeePercent { get; set; }

    /// <summary>The treasury wallet's USDC balance when the ledger began tracking it (the float):
    /// reconciliation expects the wallet to hold this plus the ledger's treasury:wallet balance.</summary>
    public string TreasuryFloat { get; set; } = "0.00";

    /// <summary><see cref="TreasuryFloat"/> in cents, set once at start (not bound).</summary>
    public long TreasuryFloatCents { get; internal set; }
    public int TimeoutSeconds { get; set; } = 15;
    public int SignatureTtlMinutes { get; set; } = 60;

    /// <summary>Trustless Work's documented limit: 50 requests per 60 s per client.</summary>
    public int RequestsPerMinute { get; set; } = 50;

    /// <summary>The limit the simulator enforces, answering 429 past it as Trustless Work does.</summary>
    public int SimulatorRequestsPerMinute { get; set; } = 50;
}

/// <summary>The provider-balance reconciliation (docs/money-model.md).</summary>
public sealed class ReconcileOptions
{
    /// <summary>The enterprise Airtm account's balance when the ledger began counting (the
    /// marketplace's own money there before any pay-in); simulated mode uses the simulator's.</summary>
    public string AirtmOpeningBalance { get; set; } = "0.00";

    /// <summary><see cref="AirtmOpeningBalance"/> in cents, set once at start (not bound).</summary>
    public long AirtmOpeningCents { get; internal set; }
}

public sealed class EventOptions
{
    /// <summary>How often streams and the sequencer look at the outbox when nothing woke them
    /// (a commit here, or a Redis message from another instance, wakes them at once).</summary>
    public int PollIntervalMs { get; set; } = 1000;
    public int HeartbeatSeconds { get; set; } = 15;
    public int RetryHintMs { get; set; } = 3000;

    /// <summary>How long events are kept (events.md: 30 days by default).</summary>
    public int RetentionDays { get; set; } = 30;
}

public sealed class WebhookOptions
{
    public int PollIntervalMs { get; set; } = 1000;
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>Seconds before each retry (events.md: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h);
    /// after the last one the delivery is marked failed.</summary>
    public int[] RetryScheduleSeconds { get; set; } = [];
}

public sealed class JobOptions
{
    /// <summary>Run the background jobs in this process (the CLI and some tests switch them off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A top-up, withdrawal or escrow operation untouched for this long is re-read from its provider.</summary>
    public int StuckAfterSeconds { get; set; } = 300;
    public int ReconcileEverySeconds { get; set; } = 60;
    public int ExpiryEverySeconds { get; set; } = 60;
    public int LedgerCheckEverySeconds { get; set; } = 600;
    public int IdempotencyCleanupEverySeconds { get; set; } = 3600;
    public int EventRetentionEverySeconds { get; set; } = 3600;

    /// <summary>Tries of a failing run before it goes to the dead-letter table; waits double from RetryBaseSeconds.</summary>
    public int MaxAttempts { get; set; } = 3;
    public int RetryBaseSeconds { get; set; } = 10;
}

public sealed class ConsoleOptions
{
    /// <summary>A console session ends after this long without a request…</summary>
    public int SessionIdleMinutes { get; set; } = 30;

    /// <summary>…and after this long in any case.</summary>
    public int SessionMaxHours { get; set; } = 8;

    /// <summary>Sign-in attempts per client address per minute, right or wrong.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;
}
