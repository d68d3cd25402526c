using System.Diagnostics;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

/// <summary>The short seeded fault campaign of docs/chaos.md on each database: concurrent money
/// flows through a real orchestrator process while the simulators fail, hang, drop, duplicate
/// and reorder, and the process is killed and restarted; every invariant holds after each trial.
/// A failure prints the seed, the trial and the command that replays it. Not patient: work
/// interrupted by a kill resumes within seconds, so the client's 30 s retry deadline holds.</summary>
public sealed class ChaosCampaignTests
{
    private const int Seed = 20261202;
    private const int Trials = 2;

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_short_fault_campaign_keeps_every_invariant(Dialect dialect)
    {
        if (dialect == Dialect.Postgres)
        {
            Skip.If(PostgresServer.Instance is null, "SKIPPED (no PostgreSQL): " + PostgresServer.UnavailableReason);
        }

        // Built next to this project by the solution (the test project references it for the build order).
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var campaign = Path.Combine(Repository.Root, "tests", "OfferHub.Lite.Chaos", "bin", here.Parent!.Name, here.Name, "OfferHub.Lite.Chaos.dll");
        Assert.True(File.Exists(campaign), $"{campaign} is not built");

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(campaign)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { campaign, "--seed", Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--trials", Trials.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", dialect == Dialect.Postgres ? "postgres" : "sqlite" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the campaign did not end within 8 minutes:\n" + await output);
        }

        var report = await output;
        Console.WriteLine(report);
        Assert.True(process.ExitCode == 0, $"the campaign failed (exit {process.ExitCode}):\n{report}\n{await errors}");
        Assert.Contains("failures: 0", report, StringComparison.Ordinal);
    }
}
