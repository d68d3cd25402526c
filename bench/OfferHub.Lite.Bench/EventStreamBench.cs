using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Bench;

/// <summary>Events per second delivered to many concurrent SSE subscribers, and the latency from
/// an event's commit (its occurred_at, same machine clock) to its receipt by each subscriber.</summary>
public static class EventStreamBench
{
    private static readonly string[] Scopes = ["read", "write"];

    public sealed record Result(int Deliveries, double PerSecond, double P50Ms, double P99Ms);

    public static async Task<Result> RunAsync(string databaseUrl, int events, int subscribers)
    {
        await using var server = await ServerProcess.StartAsync(databaseUrl);
        using var master = server.Client();
        var created = await master.PostAsJsonAsync("/api/v1/auth/api-keys", new { name = "bench", scopes = Scopes });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("api_key").GetString()!;
        using var writer = server.Client(key);
        var latencies = new List<double>[subscribers];
        var lastReceipt = new long[subscribers];
        var streams = new List<Task>();
        using var stop = new CancellationTokenSource();
        var ready = new CountdownEvent(subscribers);
        for (var s = 0; s < subscribers; s++)
        {
            var index = s;
            latencies[index] = new List<double>(events);
            streams.Add(Task.Run(async () =>
            {
                using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
                client.DefaultRequestHeaders.Authorization = new("Bearer", key);
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events?types=user.created");
                request.Headers.Accept.ParseAdd("text/event-stream");
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
                var signalled = false;
                while (latencies[index].Count < events && await reader.ReadLineAsync(stop.Token) is { } line)
                {
                    if (!signalled)
                    {
                        signalled = true;
                        ready.Signal();
                    }

                    if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        var occurred = JsonDocument.Parse(line[6..]).RootElement.GetProperty("occurred_at").GetDateTimeOffset();
                        latencies[index].Add((DateTimeOffset.UtcNow - occurred).TotalMilliseconds);
                        lastReceipt[index] = Stopwatch.GetTimestamp();
                    }
                }
            }));
        }

        ready.Wait(TimeSpan.FromSeconds(60));
        var started = Stopwatch.GetTimestamp();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < events)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/users")
                {
                    Content = JsonContent.Create(new { external_user_id = "ev-" + Guid.NewGuid().ToString("N"), type = "buyer" }),
                };
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                (await writer.SendAsync(request)).EnsureSuccessStatusCode();
            }
        }));
        var finished = Task.WhenAll(streams);
        if (await Task.WhenAny(finished, Task.Delay(TimeSpan.FromSeconds(120))) != finished)
        {
            await stop.CancelAsync();
        }

        var elapsed = Stopwatch.GetElapsedTime(started, lastReceipt.Max());
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double P(double p) => all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)];
        return new Result(all.Length, all.Length / elapsed.TotalSeconds, P(0.50), P(0.99));
    }
}
