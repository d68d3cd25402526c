using System.Diagnostics;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

/// <summary>@offerhub/sdk is tested by node's own test runner in its package (sdk/typescript/test),
/// against this build's server binary on SQLite with the simulated providers; this runs that suite,
/// after the check that the generated types still match sdk/openapi.json and a build of dist, as
/// part of the one test command.</summary>
public sealed class SdkTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string Package = Path.Combine(Repository.Root, "sdk", "typescript");

    [SkippableFact]
    public async Task The_typescript_sdk_passes_its_node_tests_against_the_real_server()
    {
        var node = Tool("node");
        var npm = Tool("npm");
        Repository.RequireTool(node is not null && npm is not null, "node or npm not found (install the 'nodejs' and 'npm' packages; .ci/run does)");

        if (!Directory.Exists(Path.Combine(Package, "node_modules", "openapi-typescript")))
        {
            // The committed lock file pins every package; .ci/run installs them the same way beforehand.
            await RunAsync(npm!, ["ci", "--no-audit", "--no-fund", "--prefer-offline"], TimeSpan.FromMinutes(5));
        }

        await RunAsync(npm!, ["run", "check:generated"], TimeSpan.FromMinutes(2));
        await RunAsync(npm!, ["run", "build"], TimeSpan.FromMinutes(2));
        await RunAsync(node!, ["--test", "test/sdk.test.mjs"], TimeSpan.FromMinutes(10),
            ("OFFERHUB_SERVER_DLL", Path.Combine(AppContext.BaseDirectory, "OfferHub.Lite.dll")));
    }

    private static string? Tool(string name) =>
        new[] { "/usr/bin", "/usr/local/bin" }.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists)
        ?? Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(p => Path.Combine(p, name)).FirstOrDefault(File.Exists);

    /// <summary>Runs one step in the package; a failure fails the test with the step's whole output.</summary>
    private async Task RunAsync(string file, string[] arguments, TimeSpan limit, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = Package,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // node's server children go with it, so no orphan keeps a port or the database.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var text = await stdout + await stderr;
        output.WriteLine($"$ {Path.GetFileName(file)} {string.Join(' ', arguments)}\n{text}");
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed (exit {process.ExitCode}, limit {limit}):\n{text}");
    }
}
