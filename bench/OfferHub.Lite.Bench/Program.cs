using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OfferHub.Lite.Bench;
using OfferHub.Lite.Tests.Support;

// Plain timed harness: create-order + reserve through HTTP against the real server (Kestrel,
// its own process) and the same statements issued directly (the raw ceiling), on SQLite and
// PostgreSQL, sequential and 8-way concurrent; then events delivered to concurrent SSE subscribers.
// Usage: dotnet run -c Release --project bench/OfferHub.Lite.Bench [-- --ops 400 --events 300 --subscribers 100]
int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
var ops = Arg("--ops", 400);
var eventCount = Arg("--events", 300);
var subscribers = Arg("--subscribers", 100);
const int Workers = 8;
const int Warmup = 50;
var rows = new List<string>();

if (ops > 0)
{
    foreach (var dialect in new[] { "sqlite", "postgresql" })
    {
        string url, connectionString;
        if (dialect == "sqlite")
        {
            var file = Path.Combine(Path.GetTempPath(), $"offerhub-bench-{Guid.NewGuid():N}.db");
            url = "sqlite://" + file;
            connectionString = $"Data Source={file};Pooling=true";
        }
        else if (PostgresServer.Instance is { } postgres)
        {
            url = postgres.CreateDatabase();
            connectionString = $"Host=127.0.0.1;Port={postgres.Port};Username=postgres;Database={url[(url.LastIndexOf('/') + 1)..]};Maximum Pool Size=50";
        }
        else
        {
            Console.Error.WriteLine("postgresql skipped: " + PostgresServer.UnavailableReason);
            continue;
        }

        Console.Error.WriteLine($"{dialect}: starting the server");
        ApiWorkload api;
        Measurement apiSequential, apiConcurrent;
        await using (var server = await ServerProcess.StartAsync(url))
        {
            api = await ApiWorkload.PrepareAsync(server.BaseAddress);
            await Measurement.RunAsync(Warmup, 1, api.RunOnceAsync);
            apiSequential = await Measurement.RunAsync(ops, 1, api.RunOnceAsync);
            apiConcurrent = await Measurement.RunAsync(ops, Workers, api.RunOnceAsync);
        }

        var keyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(api.ApiKey)));
        var raw = new RawWorkload(dialect == "postgresql", connectionString, api.BuyerId, api.SellerId, keyHash);
        await Measurement.RunAsync(Warmup, 1, raw.RunOnceAsync);
        var rawSequential = await Measurement.RunAsync(ops, 1, raw.RunOnceAsync);
        var rawConcurrent = await Measurement.RunAsync(ops, Workers, raw.RunOnceAsync);

        rows.Add(Row(dialect, "sequential", apiSequential, rawSequential));
        rows.Add(Row(dialect, $"{Workers} concurrent", apiConcurrent, rawConcurrent));
    }

    Console.WriteLine($"create-order + reserve, {ops} operations per cell ({Environment.ProcessorCount} cores)");
    Console.WriteLine();
    Console.WriteLine("| database | mode | API ops/s | API p50 ms | API p99 ms | raw ops/s | raw p50 ms | raw p99 ms | API / raw |");
    Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    rows.ForEach(Console.WriteLine);
}

if (eventCount > 0)
{
    var eventRows = new List<string>();
    foreach (var dialect in new[] { "sqlite", "postgresql" })
    {
        var url = dialect == "sqlite"
            ? "sqlite://" + Path.Combine(Path.GetTempPath(), $"offerhub-bench-events-{Guid.NewGuid():N}.db")
            : PostgresServer.Instance?.CreateDatabase();
        if (url is not null)
        {
            Console.Error.WriteLine($"{dialect}: event stream bench");
            eventRows.Add(await EventStreamBench.RunAsync(dialect, url, eventCount, subscribers));
        }
    }

    Console.WriteLine();
    Console.WriteLine("events delivered to concurrent SSE subscribers (4 writers creating users)");
    Console.WriteLine();
    Console.WriteLine("| database | subscribers | events | deliveries | deliveries/s | commit→receipt p50 ms | p99 ms |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
    eventRows.ForEach(Console.WriteLine);
}

return 0;

static string Row(string dialect, string mode, Measurement api, Measurement raw) =>
    string.Create(CultureInfo.InvariantCulture,
        $"| {dialect} | {mode} | {api.PerSecond:F0} | {api.P50Ms:F2} | {api.P99Ms:F2} | {raw.PerSecond:F0} | {raw.P50Ms:F2} | {raw.P99Ms:F2} | {api.PerSecond / raw.PerSecond:P0} |");
