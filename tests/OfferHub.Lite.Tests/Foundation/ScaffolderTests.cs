using System.Diagnostics;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

/// <summary>`npm create offer-hub-orchestrator` is tested by node's own test runner in its package
/// (sdk/create-offer-hub-orchestrator/test); this runs that suite as part of the one test command.</summary>
public sealed class ScaffolderTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [SkippableFact]
    public async Task The_npm_create_package_passes_its_node_tests()
    {
        var node = new[] { "/usr/bin/node", "/usr/local/bin/node" }.FirstOrDefault(File.Exists)
            ?? Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(p => Path.Combine(p, "node")).FirstOrDefault(File.Exists);
        Repository.RequireTool(node is not null, "node not found (install the 'nodejs' package; .ci/run does)");

        var start = new ProcessStartInfo(node!)
        {
            WorkingDirectory = Path.Combine(Repository.Root, "sdk", "create-offer-hub-orchestrator"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--test");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        output.WriteLine(await stdout);
        Assert.True(process.ExitCode == 0, await stdout + await stderr);
    }
}
