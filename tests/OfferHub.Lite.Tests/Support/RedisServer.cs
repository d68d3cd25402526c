using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OfferHub.Lite.Tests.Support;

/// <summary>A throw-away redis-server from the machine's own binary, on a free port, no
/// persistence. Missing binary: the test is skipped with the reason, or fails under CI=true.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process process;

    private RedisServer(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"redis://127.0.0.1:{Port}";

    public static string? Binary =>
        new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);

    public static async Task<RedisServer> StartAsync()
    {
        if (Binary is null)
        {
            const string reason = "redis-server not found (install the 'redis-server' package; .ci/run does)";
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", reason);
            Skip.If(true, "SKIPPED (no Redis): " + reason);
        }

        var port = Ports.Free();
        var start = new ProcessStartInfo(Binary!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Eventually.UntilAsync(
            async () => process.HasExited ? throw new InvalidOperationException($"redis-server exited with {process.ExitCode}") : await IsListeningAsync(port),
            listening => listening,
            _ => "redis-server did not listen within 10 s",
            timeoutMs: 10_000,
            intervalMs: 50);
        return new RedisServer(process, port);
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private bool disposed;

    /// <summary>Stops the server (a test may do it early to take Redis away).</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }
}
