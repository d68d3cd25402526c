using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OfferHub.Lite.Features.SimulatedProviders.Airtm;
using OfferHub.Lite.Features.SimulatedProviders.TrustlessWork;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Providers.Airtm;
using OfferHub.Lite.Infrastructure.Providers.TrustlessWork;

namespace OfferHub.Lite.Tests.Support;

/// <summary>The real app on a fresh database of one dialect, through the in-memory test server.</summary>
public sealed class TestApp(Dialect dialect, string databaseUrl, IReadOnlyDictionary<string, string?>? settings = null, WebhookReceiver? receiver = null) : WebApplicationFactory<Program>
{
    public const string MasterKey = "test_master_key_0123456789abcdef";

    public Dialect Dialect { get; } = dialect;

    public string DatabaseUrl { get; } = databaseUrl;

    public CapturedLogs Logs { get; } = new();

    public TestClock Clock { get; } = new();

    /// <summary>Every call the Trustless Work client made, with its answer.</summary>
    public ProviderTraffic TrustlessTraffic { get; } = new();

    /// <summary>What the Airtm client and the Airtm simulator's callbacks sent and got.</summary>
    public AirtmTraffic AirtmTraffic { get; } = new();

    /// <summary>Where outbound webhooks land (shared when a test restarts the app on the same database).</summary>
    public WebhookReceiver Receiver { get; } = receiver ?? new WebhookReceiver();

    /// <summary>Settings applied after the test defaults, so a test can override them.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; } = settings ?? new Dictionary<string, string?>();

    /// <summary>Services a test adds after the defaults (an in-memory trace exporter).</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("DATABASE_URL", DatabaseUrl);
        builder.UseSetting("OFFERHUB_MASTER_KEY", MasterKey);
        builder.UseSetting("OfferHub:SandboxCredits", "true");
        // Short enough for the timeout tests; the simulator's Svix retries compressed further.
        builder.UseSetting("OfferHub:Airtm:TimeoutSeconds", "2");
        builder.UseSetting("OfferHub:Airtm:SimulatorRetryDelaysMs:0", "0");
        builder.UseSetting("OfferHub:Airtm:SimulatorRetryDelaysMs:1", "200");
        builder.UseSetting("OfferHub:Airtm:SimulatorRetryDelaysMs:2", "1000");
        builder.UseSetting("OfferHub:Trustless:TimeoutSeconds", "2");
        // The tests run many escrows a minute; the documented 50/min queue is not what they test.
        builder.UseSetting("OfferHub:Trustless:RequestsPerMinute", "100000");
        builder.UseSetting("OfferHub:Trustless:SimulatorRequestsPerMinute", "100000");
        builder.UseSetting("OfferHub:Events:HeartbeatSeconds", "1");
        builder.UseSetting("OfferHub:Events:PollIntervalMs", "200");
        builder.UseSetting("OfferHub:Webhooks:PollIntervalMs", "100");
        builder.UseSetting("OfferHub:MaintenanceCacheMs", "0");
        // api.md's 100 requests/min per key would throttle the tests themselves; its own test lowers it.
        builder.UseSetting("OfferHub:RateLimits:PerApiKeyPerMinute", "1000000");
        // Jobs run when a test asks for them (or enables the schedule itself).
        builder.UseSetting("OfferHub:Jobs:Enabled", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddProvider(Logs);
        });
        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            // The Airtm client and the simulator's callbacks reach this same in-memory server.
            services.AddHttpClient<AirtmClient>().ConfigurePrimaryHttpMessageHandler(InMemoryHandler).AddHttpMessageHandler(() => AirtmTraffic.Recorder(AirtmTraffic.Calls));
            services.AddHttpClient(AirtmCallbacks.ClientName).ConfigurePrimaryHttpMessageHandler(InMemoryHandler).AddHttpMessageHandler(() => AirtmTraffic.Recorder(AirtmTraffic.Callbacks));
            services.AddHttpClient<TrustlessClient>().ConfigurePrimaryHttpMessageHandler(InMemoryHandler).AddHttpMessageHandler(TrustlessTraffic.Handler);
            services.AddHttpClient(TrustlessCallbacks.ClientName).ConfigurePrimaryHttpMessageHandler(InMemoryHandler);
            services.AddHttpClient(OfferHub.Lite.Features.Escrow.EscrowProviderSteps.SignerClientName).ConfigurePrimaryHttpMessageHandler(InMemoryHandler);
            services.AddHttpClient(OfferHub.Lite.Features.WebhookEndpoints.DeliverWebhooks.DeliverWebhooks.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => Receiver.Handler());
            ExtraServices?.Invoke(services);
        });
    }

    private static HttpMessageHandler InMemoryHandler(IServiceProvider services) =>
        ((TestServer)services.GetRequiredService<IServer>()).CreateHandler();

    public HttpClient Client(string? token = null)
    {
        // Every exchange is checked against the served OpenAPI document (Support/OpenApiContract).
        var client = CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(), new OpenApiContract.Handler());
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public HttpClient Master() => Client(MasterKey);

    /// <summary>Proves the books: every balance row equals the sum of its entries, all accounts
    /// sum to zero, no never-negative account is below zero, and no closed order's escrow
    /// account holds money.</summary>
    public async Task AssertBooksBalancedAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<OfferHub.Lite.Infrastructure.Ledger.LedgerVerifier>().VerifyAsync(CancellationToken.None);
        Assert.True(report.Balanced, $"ledger out of balance on {Dialect}: total {report.Total}, mismatches [{string.Join(", ", report.Mismatches)}], negative [{string.Join(", ", report.NegativeAccounts)}]");
        await using var db = await OpenDbAsync();
        var closedWithMoney = await db.QueryAsync<string>(
            "SELECT o.id FROM orders o JOIN ledger_accounts a ON a.account = 'escrow:' || o.id WHERE o.status = 'CLOSED' AND a.balance <> 0", null, CancellationToken.None);
        Assert.True(closedWithMoney.Count == 0, $"closed orders with money left in escrow on {Dialect}: {string.Join(", ", closedWithMoney)}");
    }

    /// <summary>A connection-level view of the app's database for assertions.</summary>
    public async Task<Db> OpenDbAsync()
    {
        _ = Server;
        var database = Services.GetRequiredService<Database>();
        var db = new Db(database);
        await db.ConnectionAsync(CancellationToken.None);
        return db;
    }
}
