using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

/// <summary>The server as a real process, started and stopped as an operator (or `docker stop`)
/// would: every failed start is one line and exit code 1; SIGTERM ends every live stream with a
/// last word and the process exits within five seconds.</summary>
public sealed class LifecycleTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static string SqliteUrl() =>
        "sqlite://" + Path.Combine(Path.GetTempPath(), "offerhub-tests", Guid.NewGuid().ToString("N") + ".db");

    [Fact]
    public async Task Sigterm_with_100_open_streams_tells_each_one_and_exits_within_5_seconds()
    {
        await using var server = await ServerProcess.StartAsync(SqliteUrl());
        var key = (await (await server.Client().PostAsync("/api/v1/auth/api-keys", new { name = "streams", scopes = new[] { "read" } })).OkAsync(HttpStatusCode.Created)).Str("api_key");
        using var client = server.Client(key);
        client.Timeout = Timeout.InfiniteTimeSpan;
        var streams = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => SseClient.OpenAsync(client, "/api/v1/events")));
        try
        {
            Assert.All(streams, s => Assert.Equal("text/event-stream", s.Response.Content.Headers.ContentType?.MediaType));

            var clock = Stopwatch.StartNew();
            var exitCode = await server.TerminateAsync(TimeSpan.FromSeconds(5));
            Assert.True(exitCode is not null, $"still running {clock.Elapsed.TotalSeconds:F1} s after SIGTERM with 100 open streams");
            output.WriteLine($"SIGTERM with 100 open streams: exited {exitCode} after {clock.Elapsed.TotalMilliseconds:F0} ms");
            Assert.Equal(0, exitCode);
            foreach (var stream in streams)
            {
                Assert.True(await ToldOfShutdownAsync(stream), "a stream ended without the shutdown notice");
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    /// <summary>Reads what the stream sent until it ended: was the last word the shutdown notice?</summary>
    internal static async Task<bool> ToldOfShutdownAsync(SseClient stream)
    {
        var told = false;
        try
        {
            while (true)
            {
                var message = await stream.NextAsync(timeoutMs: 5_000);
                told = message.Comment?.StartsWith("server shutting down", StringComparison.Ordinal) == true;
            }
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            return told;
        }
    }

    [Fact]
    public async Task A_port_already_in_use_is_one_line_and_exit_code_1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var run = await Cli.RunAsync(Environment(SqliteUrl(), ("ASPNETCORE_URLS", $"http://127.0.0.1:{port}")));

        AssertOneLineFailure(run, "address already in use");
    }

    [Fact]
    public async Task An_unreachable_database_is_one_line_and_exit_code_1()
    {
        var run = await Cli.RunAsync(Environment($"postgresql://offerhub:secret_pw@127.0.0.1:{Ports.Free()}/offerhub"));

        AssertOneLineFailure(run, "cannot reach or migrate the database (DATABASE_URL)");
        Assert.DoesNotContain("secret_pw", run.Error + run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LOG_LEVEL", "loud", "offerhub: LOG_LEVEL must be one of Trace, Debug, Information, Warning, Error, Critical, None.")]
    [InlineData("STELLAR_NETWORK", "moon", "offerhub: STELLAR_NETWORK must be 'testnet' or 'mainnet'.")]
    [InlineData("OFFERHUB_ENV", "staging", "offerhub: OFFERHUB_ENV must be 'sandbox' or 'production'.")]
    [InlineData("DATABASE_PASSWORD", "p@ss", "offerhub: DATABASE_PASSWORD applies only to a postgresql:// DATABASE_URL.")]
    public async Task A_bad_setting_is_one_line_naming_it_and_exit_code_1(string name, string value, string line)
    {
        var run = await Cli.RunAsync(Environment(SqliteUrl(), (name, value)));

        AssertOneLineFailure(run, line);
        Assert.Equal(line, run.Error.Trim());
    }

    private static Dictionary<string, string> Environment(string databaseUrl, params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = databaseUrl,
            ["OFFERHUB_MASTER_KEY"] = TestApp.MasterKey,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Ports.Free()}",
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }

    private static void AssertOneLineFailure(Cli.Result run, string expected)
    {
        Assert.Equal(1, run.ExitCode);
        var error = run.Error.Trim();
        Assert.False(error.Contains('\n', StringComparison.Ordinal), "more than one line on stderr:\n" + run.Error);
        Assert.StartsWith("offerhub: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Out + run.Error, StringComparison.Ordinal);
    }
}
