using System.Globalization;
using OfferHub.Lite.Chaos;

// The seeded fault campaign (docs/chaos.md).
// Usage: dotnet run --project tests/OfferHub.Lite.Chaos -- --seed N --trials 200 --db sqlite|postgres
//        [--trial FIRST] [--flows 2] [--retry-seconds 30] [--patient]
string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
int Number(string name, int fallback) => Arg(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

var db = Arg("--db") ?? "sqlite";
if (db is not ("sqlite" or "postgres"))
{
    Console.Error.WriteLine("--db must be sqlite or postgres");
    return 2;
}

var options = new CampaignOptions(Number("--seed", 1), Number("--trials", 20), db, Number("--trial", 1), Number("--flows", 2), TimeSpan.FromSeconds(Number("--retry-seconds", args.Contains("--patient") ? 90 : 30)), args.Contains("--patient"));

// The servers' own warnings go to a file; this output is the campaign's.
var serverLog = Path.Combine(Path.GetTempPath(), "offerhub-chaos", $"servers-{options.Seed}-{Environment.ProcessId}.log");
Directory.CreateDirectory(Path.GetDirectoryName(serverLog)!);
await using var serverOutput = new StreamWriter(serverLog) { AutoFlush = true };
Console.SetError(TextWriter.Synchronized(serverOutput));
Console.WriteLine($"server output: {serverLog}");
return await new Campaign(options, Console.Out).RunAsync();
