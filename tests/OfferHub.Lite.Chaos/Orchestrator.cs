using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Chaos;

/// <summary>The orchestrator under test and the provider next to it, each a process of the real
/// server binary. The provider process runs only the built-in simulators (Airtm and Trustless
/// Work) and is never killed, so its books are the truth the orchestrator is checked against;
/// the orchestrator reaches it over HTTP like a real provider and is killed and restarted on
/// the same port and database.</summary>
public sealed class Orchestrator : IAsyncDisposable
{
    private readonly Dictionary<string, string> environment;
    private readonly int port;
    private ServerProcess? current;

    private Orchestrator(ServerProcess provider, string database, int port, Dictionary<string, string> environment)
    {
        Provider = provider;
        Database = database;
        this.port = port;
        this.environment = environment;
    }

    public ServerProcess Provider { get; }

    public string Database { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{port}");

    private readonly Lock gate = new();
    private TimeSpan downBefore;
    private DateTime? downSince;

    public int SigKills { get; private set; }

    /// <summary>How long the orchestrator has been down in all, the current outage included.</summary>
    public TimeSpan Downtime
    {
        get
        {
            lock (gate)
            {
                return downBefore + (downSince is { } since ? DateTime.UtcNow - since : TimeSpan.Zero);
            }
        }
    }

    public int Terminations { get; private set; }

    /// <summary>The orchestrator's settings, for the CLI (reconcile) too.</summary>
    public IReadOnlyDictionary<string, string> Environment => environment;

    /// <param name="eagerReconciliation">The orchestrator's own reconciliation job runs every 5 s
    /// for work untouched 5 s (by default every 60 s for 300 s).</param>
    public static async Task<Orchestrator> StartAsync(string database, bool eagerReconciliation)
    {
        var port = Ports.Free();
        var airtmSecret = OfferHub.Lite.Infrastructure.Webhooks.WebhookSignature.NewSecret();
        var trustlessSecret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var providerDatabase = "sqlite://" + Path.Combine(Path.GetTempPath(), "offerhub-chaos", $"provider-{port}.db");
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "offerhub-chaos"));
        var provider = await ServerProcess.StartAsync(providerDatabase, new Dictionary<string, string>
        {
            // The simulators call the orchestrator back, signed with the shared secrets.
            ["PUBLIC_BASE_URL"] = $"http://127.0.0.1:{port}",
            ["AIRTM_WEBHOOK_SECRET"] = airtmSecret,
            ["TRUSTLESS_WEBHOOK_SECRET"] = trustlessSecret,
            ["OfferHub__Jobs__Enabled"] = "false",
            ["OfferHub__Trustless__SimulatorRequestsPerMinute"] = "1000000",
            // Svix's retry schedule, compressed further: a callback refused while the orchestrator
            // is down is sent again within seconds.
            ["OfferHub__Airtm__SimulatorRetryDelaysMs__0"] = "0",
            ["OfferHub__Airtm__SimulatorRetryDelaysMs__1"] = "300",
            ["OfferHub__Airtm__SimulatorRetryDelaysMs__2"] = "1000",
            ["OfferHub__Airtm__SimulatorRetryDelaysMs__3"] = "2000",
            ["OfferHub__Airtm__SimulatorRetryDelaysMs__4"] = "4000",
        });
        var environment = ProviderProcess.OrchestratorEnvironment(provider.BaseAddress, airtmSecret, trustlessSecret);
        // A provider that hangs is given up on quickly, so timeouts happen often and cheaply.
        environment["OfferHub__Airtm__TimeoutSeconds"] = "2";
        environment["OfferHub__Trustless__TimeoutSeconds"] = "2";
        // A key left in progress by a killed process is taken over after 10 s (60 s by default),
        // well inside the client's retry deadline.
        environment["OfferHub__IdempotencyLockSeconds"] = "10";
        if (eagerReconciliation)
        {
            environment["OfferHub__Jobs__ReconcileEverySeconds"] = "5";
            environment["OfferHub__Jobs__StuckAfterSeconds"] = "5";
        }

        var orchestrator = new Orchestrator(provider, database, port, environment);
        orchestrator.current = await ServerProcess.StartAsync(database, environment, port);
        return orchestrator;
    }

    /// <summary>SIGKILL (a crash: nothing is flushed, no request finishes) or SIGTERM (a deploy),
    /// then a new process on the same port and database.</summary>
    public async Task RestartAsync(bool kill)
    {
        var dying = current!;
        current = null;
        lock (gate)
        {
            downSince = DateTime.UtcNow;
        }

        if (kill)
        {
            SigKills++;
            await dying.DisposeAsync();
        }
        else
        {
            Terminations++;
            // A process that does not stop within 20 s is killed like a stuck container.
            await dying.TerminateAsync(TimeSpan.FromSeconds(20));
        }

        await dying.DisposeAsync();
        current = await ServerProcess.StartAsync(Database, environment, port);
        lock (gate)
        {
            downBefore += DateTime.UtcNow - downSince!.Value;
            downSince = null;
        }
    }

    /// <summary>reconcile [--fix] --json through the CLI against the same database and providers,
    /// with every waiting item taken as stuck.</summary>
    public async Task<Cli.Result> ReconcileAsync(bool fix)
    {
        var cli = new Dictionary<string, string>(environment)
        {
            ["DATABASE_URL"] = Database,
            ["OFFERHUB_MASTER_KEY"] = ServerProcess.MasterKey,
            ["PUBLIC_BASE_URL"] = BaseAddress.ToString(),
            ["OfferHub__Jobs__StuckAfterSeconds"] = "0",
            ["Logging__LogLevel__Default"] = "Warning",
            // The provider timeouts of the running orchestrator are short to make faults cheap;
            // the operator's reconciliation reads with the default ones.
            ["OfferHub__Airtm__TimeoutSeconds"] = "10",
            ["OfferHub__Trustless__TimeoutSeconds"] = "15",
        };
        return fix ? await Cli.RunAsync(cli, "reconcile", "--fix", "--json") : await Cli.RunAsync(cli, "reconcile", "--json");
    }

    public async ValueTask DisposeAsync()
    {
        if (current is not null)
        {
            await current.DisposeAsync();
        }

        await Provider.DisposeAsync();
    }
}
