using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OfferHub.Lite.Bench;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Tests.Support;

// Plain timed harness: create-order + reserve through HTTP against the real server (Kestrel,
// its own process) and the same work as the fewest statements (the raw ceiling), on SQLite and
// PostgreSQL, with 1, 8 and 32 concurrent clients over many buyers; then events delivered to
// concurrent SSE subscribers.
// Usage: dotnet bench/OfferHub.Lite.Bench/bin/Release/net10.0/OfferHub.Lite.Bench.dll
//        [--ops 2000] [--events 300] [--subscribers 100,1000] [--baseline] [--json]
//        [--databases sqlite,postgresql] [--clients 1,8,32] [--warmup-seconds 20]
// --baseline adds SQLite cells with group commit off (OFFERHUB_SQLITE_GROUP_COMMIT=1), the
// one-commit-per-request path; --json prints one JSON object per cell beside the tables.
// --databases and --clients narrow a run to some cells (for profiling one of them).
string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
int Arg(string name, int fallback) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
var ops = Arg("--ops", 400);
var eventCount = Arg("--events", 300);
int[] Numbers(string name, string fallback) => (Value(name) ?? fallback).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var subscriberCounts = Numbers("--subscribers", "100,1000");
var clientCounts = Numbers("--clients", "1,8,32");
var databases = (Value("--databases") ?? "sqlite,postgresql").Split(',');
var baseline = args.Contains("--baseline");
var json = args.Contains("--json");
const int Pairs = 64;
// Each server (and the raw ceiling) runs unmeasured operations with 8 clients for this long
// before its first cell, so that every cell measures steady-state code (see Measurement.WarmUpAsync).
var warmup = TimeSpan.FromSeconds(Arg("--warmup-seconds", 20));
// Every commit is durable in the bench: PostgreSQL with fsync, SQLite with synchronous=FULL.
PostgresServer.Durable = true;
var rows = new List<string>();
var jsonLines = new List<string>();

if (ops > 0)
{
    foreach (var dialect in databases)
    {
        string url;
        if (dialect == "sqlite")
        {
            url = NewSqliteFile();
        }
        else if (PostgresServer.Instance is { } postgres)
        {
            url = postgres.CreateDatabase();
        }
        else
        {
            Console.Error.WriteLine("postgresql skipped: " + PostgresServer.UnavailableReason);
            continue;
        }

        var modes = dialect == "sqlite" && baseline ? new[] { "group_commit", "baseline" } : ["group_commit"];
        var api = new Dictionary<(string Mode, int Clients), Measurement>();
        ApiWorkload? workload = null;
        foreach (var mode in modes)
        {
            // Each mode starts on a new file: on a shared one the mode that ran second had a head
            // start (the baseline's 1-client cell gave 219 operations/s second, 149 first).
            if (dialect == "sqlite" && mode != modes[0])
            {
                url = NewSqliteFile();
            }

            Console.Error.WriteLine($"{dialect} ({mode}): starting the server");
            var environment = mode == "baseline" ? new Dictionary<string, string> { ["OFFERHUB_SQLITE_GROUP_COMMIT"] = "1" } : null;
            await using var server = await ServerProcess.StartAsync(url, environment);
            workload = await ApiWorkload.PrepareAsync(server.BaseAddress, Pairs);
            await Measurement.WarmUpAsync(warmup, workload.RunOnceAsync);
            foreach (var clients in clientCounts)
            {
                api[(mode, clients)] = await Measurement.RunAsync(ops, clients, workload.RunOnceAsync);
            }
        }

        var keyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(workload!.ApiKey)));
        // The raw ceiling connects with the app's own settings for the URL (pool, preparation, no reset).
        var raw = new RawWorkload(dialect == "postgresql", DatabaseSettings.FromUrl(url).ConnectionString, workload.Pairs, keyHash);
        await Measurement.WarmUpAsync(warmup, raw.RunOnceAsync);
        var rawByClients = new Dictionary<int, Measurement>();
        foreach (var clients in clientCounts)
        {
            rawByClients[clients] = await Measurement.RunAsync(ops, clients, raw.RunOnceAsync);
        }

        foreach (var ((mode, clients), measured) in api)
        {
            var ceiling = rawByClients[clients];
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {dialect} | {mode} | {clients} | {measured.PerSecond:F0} | {measured.P50Ms:F2} | {measured.P99Ms:F2} | {ceiling.PerSecond:F0} | {ceiling.P50Ms:F2} | {ceiling.P99Ms:F2} | {measured.PerSecond / ceiling.PerSecond:P0} |"));
            jsonLines.Add(JsonSerializer.Serialize(new
            {
                bench = "order_reserve",
                database = dialect,
                mode,
                clients,
                api_ops_s = Math.Round(measured.PerSecond, 1),
                api_p50_ms = Math.Round(measured.P50Ms, 2),
                api_p99_ms = Math.Round(measured.P99Ms, 2),
                raw_ops_s = Math.Round(ceiling.PerSecond, 1),
                ratio = Math.Round(measured.PerSecond / ceiling.PerSecond, 3),
            }));
        }
    }

    Console.WriteLine($"create-order + reserve, {ops} operations per cell, {Pairs} buyer/seller pairs ({Environment.ProcessorCount} cores)");
    Console.WriteLine();
    Console.WriteLine("| database | mode | clients | API ops/s | API p50 ms | API p99 ms | raw ops/s | raw p50 ms | raw p99 ms | API / raw |");
    Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    rows.ForEach(Console.WriteLine);
}

if (eventCount > 0)
{
    var eventRows = new List<string>();
    foreach (var dialect in databases)
    {
        foreach (var subscribers in subscriberCounts)
        {
            var url = dialect == "sqlite"
                ? "sqlite://" + Path.Combine(Path.GetTempPath(), $"offerhub-bench-events-{Guid.NewGuid():N}.db")
                : PostgresServer.Instance?.CreateDatabase();
            if (url is null)
            {
                continue;
            }

            Console.Error.WriteLine($"{dialect}: event stream bench, {subscribers} subscribers");
            var result = await EventStreamBench.RunAsync(url, eventCount, subscribers);
            eventRows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {dialect} | {subscribers} | {eventCount} | {result.Deliveries} | {result.PerSecond:F0} | {result.P50Ms:F1} | {result.P99Ms:F1} | {result.OccurredP50Ms:F1} | {result.OccurredP99Ms:F1} |"));
            jsonLines.Add(JsonSerializer.Serialize(new
            {
                bench = "events",
                database = dialect,
                subscribers,
                deliveries_s = Math.Round(result.PerSecond, 1),
                p50_ms = Math.Round(result.P50Ms, 1),
                p99_ms = Math.Round(result.P99Ms, 1),
                occurred_p50_ms = Math.Round(result.OccurredP50Ms, 1),
                occurred_p99_ms = Math.Round(result.OccurredP99Ms, 1),
            }));
        }
    }

    Console.WriteLine();
    Console.WriteLine("events delivered to concurrent SSE subscribers (4 writers creating users); commit→receipt lies between");
    Console.WriteLine("receipt − the writer's answer (lower bound) and receipt − occurred_at (upper bound)");
    Console.WriteLine();
    Console.WriteLine("| database | subscribers | events | deliveries | deliveries/s | since answer p50 ms | p99 ms | since occurred_at p50 ms | p99 ms |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    eventRows.ForEach(Console.WriteLine);
}

if (json)
{
    Console.WriteLine();
    jsonLines.ForEach(Console.WriteLine);
}

return 0;

static string NewSqliteFile() => "sqlite://" + Path.Combine(Path.GetTempPath(), $"offerhub-bench-{Guid.NewGuid():N}.db");
