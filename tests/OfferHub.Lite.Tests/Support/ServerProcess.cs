using System.Diagnostics;

namespace OfferHub.Lite.Tests.Support;

/// <summary>The real server binary as its own process on Kestrel, on a free loopback port, logging
/// warnings only: what the cross-instance tests and the bench run against.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string MasterKey = "process_master_key_0123456789abcdef";

    private readonly Process process;

    private ServerProcess(Process process, Uri baseAddress, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        this.process = process;
        BaseAddress = baseAddress;
        Output = output;
    }

    public Uri BaseAddress { get; }

    /// <summary>Every line the server wrote to standard output.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; }

    public HttpClient Client(string? token = MasterKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return client;
    }

    /// <summary>Starts the built server, or <paramref name="executable"/> (the published single
    /// file) from its own folder.</summary>
    public static async Task<ServerProcess> StartAsync(string databaseUrl, IReadOnlyDictionary<string, string>? environment = null, int? port = null, string? executable = null)
    {
        port ??= Ports.Free();
        var start = new ProcessStartInfo(executable ?? "dotnet")
        {
            WorkingDirectory = executable is null ? AppContext.BaseDirectory : Path.GetDirectoryName(executable)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (executable is null)
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OfferHub.Lite.dll"));
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Bench";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["DATABASE_URL"] = databaseUrl;
        start.Environment["OFFERHUB_MASTER_KEY"] = MasterKey;
        start.Environment["OfferHub__SandboxCredits"] = "true";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["PUBLIC_BASE_URL"] = $"http://127.0.0.1:{port}";
        start.Environment["OfferHub__RateLimits__PerApiKeyPerMinute"] = "1000000";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            // Only warnings and errors are logged (see above); they belong in the test output.
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
                Console.Error.WriteLine("server: " + e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("server: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"), output);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        await Eventually.UntilAsync(
            async () => process.HasExited ? throw new InvalidOperationException($"server exited with {process.ExitCode}") : await IsHealthyAsync(client),
            healthy => healthy,
            _ => "server did not become healthy within 60 s",
            timeoutMs: 60_000,
            intervalMs: 200);
        return server;
    }

    private static async Task<bool> IsHealthyAsync(HttpClient client)
    {
        try
        {
            return (await client.GetAsync("/api/v1/health")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
    }

    /// <summary>Sends SIGTERM, as `docker stop` does, and waits at most <paramref name="within"/>
    /// for the process to exit; null when it is still running then.</summary>
    public async Task<int?> TerminateAsync(TimeSpan within)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Whether the process exited (by itself) within <paramref name="within"/>.</summary>
    public async Task<bool> ExitedAsync(TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private bool disposed;

    /// <summary>Kills the process (a crash, as far as the server can tell); safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
