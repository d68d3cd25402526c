using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

/// <summary>The single-file binary as README.md tells an operator to build it: `dotnet publish -c
/// Release -r linux-x64` gives one file, `offerhub`, that serves alone from an empty folder (its
/// SQLite file next to it), runs the CLI, and stops within five seconds with a stream open.</summary>
public sealed class SingleFileTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [SkippableFact]
    public async Task The_published_binary_serves_alone_runs_the_cli_and_stops_within_5_seconds()
    {
        var work = Directory.CreateTempSubdirectory("offerhub-publish-");
        try
        {
            var published = Path.Combine(work.FullName, "publish");
            var clock = Stopwatch.StartNew();
            var publish = await RunAsync("dotnet", Repository.Root, TimeSpan.FromMinutes(15),
                "publish", Path.Combine(Repository.Root, "OfferHub.Lite.csproj"), "-c", "Release", "-r", Rid(), "-o", published);
            output.WriteLine($"dotnet publish -c Release -r {Rid()}: exit {publish.ExitCode} in {clock.Elapsed.TotalSeconds:F0} s");
            Repository.RequireTool(publish.ExitCode == 0, "dotnet publish failed (are the runtime packs reachable on NuGet?): " + Tail(publish.Out + publish.Error));

            Assert.Equal(["offerhub"], Directory.GetFiles(published).Select(Path.GetFileName));
            var binary = new FileInfo(Path.Combine(published, "offerhub"));
            output.WriteLine($"offerhub: {binary.Length / 1_000_000.0:F1} MB");
            var alone = Directory.CreateDirectory(Path.Combine(work.FullName, "alone"));
            var executable = binary.CopyTo(Path.Combine(alone.FullName, "offerhub")).FullName;

            // No DATABASE_URL: the SQLite file goes beside the binary, whatever the working directory.
            await using var server = await ServerProcess.StartAsync(string.Empty, executable: executable);
            Assert.True(File.Exists(Path.Combine(alone.FullName, "data", "offerhub.db")), "no data/offerhub.db beside the binary");
            using (var anonymous = server.Client(null))
            {
                Assert.Equal("healthy", (await (await anonymous.GetAsync("/api/v1/health")).OkAsync()).Str("status"));
                var docs = await anonymous.GetAsync("/");
                Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
                Assert.StartsWith("/docs", docs.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
                Assert.Contains("text/html", docs.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
                await (await anonymous.GetAsync("/openapi/v1.json")).OkAsync();
            }

            var environment = new Dictionary<string, string> { ["OFFERHUB_MASTER_KEY"] = ServerProcess.MasterKey };
            var keys = await RunAsync(executable, work.FullName, TimeSpan.FromSeconds(60), environment, "keys", "create", "--name", "smoke", "--scopes", "read", "--json");
            Assert.True(keys.ExitCode == 0, keys.Error);
            var key = JsonDocument.Parse(keys.Out).RootElement.Str("api_key");
            var demo = await RunAsync(executable, work.FullName, TimeSpan.FromMinutes(2), environment, "demo");
            Assert.True(demo.ExitCode == 0, demo.Error);
            // The demo aligns its columns; the words are what matter.
            Assert.Contains("seller available 80.00", string.Join(' ', demo.Out.Split(' ', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);

            await using var stream = await SseClient.OpenAsync(server.Client(key), "/api/v1/events");
            await stream.NextAsync();
            clock.Restart();
            var exitCode = await server.TerminateAsync(TimeSpan.FromSeconds(5));
            Assert.True(exitCode == 0, $"exit {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} {clock.Elapsed.TotalSeconds:F1} s after SIGTERM");
            output.WriteLine($"SIGTERM with a stream open: exited after {clock.Elapsed.TotalMilliseconds:F0} ms");
            Assert.True(await LifecycleTests.ToldOfShutdownAsync(stream));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string Rid() =>
        (OperatingSystem.IsMacOS() ? "osx-" : "linux-") + (RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x64");

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];

    private static Task<Cli.Result> RunAsync(string file, string directory, TimeSpan timeout, params string[] args) =>
        RunAsync(file, directory, timeout, new Dictionary<string, string>(), args);

    private static async Task<Cli.Result> RunAsync(string file, string directory, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The test host's own MSBuild settings must not leak into the publish it starts.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}");
        }

        return new Cli.Result(process.ExitCode, await stdout, await stderr);
    }
}
