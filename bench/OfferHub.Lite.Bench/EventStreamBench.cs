using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Http.Json;
using System.Text.Json;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Bench;

/// <summary>Events per second delivered to many concurrent SSE subscribers, and the latency from
/// an event's commit to its receipt by each subscriber, bracketed from both sides. The commit
/// itself is not observable from outside: it happens after the event's occurred_at is stamped
/// (inside the transaction, before a group commit and its fsync) and before the writer gets its
/// HTTP answer. So receipt minus answer is a lower bound of commit→receipt (it can even be
/// negative: the stream may beat the writer's own answer), and receipt minus occurred_at an
/// upper bound.</summary>
public static class EventStreamBench
{
    private static readonly string[] Scopes = ["read", "write"];

    /// <summary>Events written and delivered before the measured ones, so that the stream's first
    /// code and pools are warm. Shorter than the order bench's timed warm-up: the measured events
    /// then still run partly on code the tiered JIT has not finished optimising, which makes these
    /// latencies an upper estimate of the steady state.</summary>
    private const int Warmup = 50;

    /// <summary>P50Ms/P99Ms: receipt minus the writer's answer (lower bound); OccurredP50Ms/
    /// OccurredP99Ms: receipt minus occurred_at (upper bound).</summary>
    public sealed record Result(int Deliveries, double PerSecond, double P50Ms, double P99Ms, double OccurredP50Ms, double OccurredP99Ms);

    private readonly record struct Receipt(string UserId, long At, double SinceOccurredMs);

    public static async Task<Result> RunAsync(string databaseUrl, int events, int subscribers)
    {
        await using var server = await ServerProcess.StartAsync(databaseUrl);
        using var master = server.Client();
        var created = await master.PostAsJsonAsync("/api/v1/auth/api-keys", new { name = "bench", scopes = Scopes });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("api_key").GetString()!;
        using var writer = server.Client(key);
        var receipts = new List<Receipt>[subscribers];
        var answered = new ConcurrentDictionary<string, long>();
        var streams = new List<Task>();
        using var stop = new CancellationTokenSource();
        var ready = new CountdownEvent(subscribers);
        for (var s = 0; s < subscribers; s++)
        {
            var mine = receipts[s] = new List<Receipt>(Warmup + events);
            streams.Add(Task.Run(async () =>
            {
                using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
                client.DefaultRequestHeaders.Authorization = new("Bearer", key);
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events?types=user.created");
                request.Headers.Accept.ParseAdd("text/event-stream");
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
                var reader = PipeReader.Create(await response.Content.ReadAsStreamAsync(stop.Token));
                var signalled = false;
                while (mine.Count < Warmup + events)
                {
                    var read = await reader.ReadAsync(stop.Token);
                    // Stamped when the bytes arrive, before any parsing: the client's own work on the shared cores is not the server's latency.
                    var at = Stopwatch.GetTimestamp();
                    var now = DateTimeOffset.UtcNow;
                    if (!signalled)
                    {
                        signalled = true;
                        ready.Signal();
                    }

                    reader.AdvanceTo(Consume(read.Buffer, at, now, mine), read.Buffer.End);
                    if (read.IsCompleted)
                    {
                        break;
                    }
                }

                await reader.CompleteAsync();
            }));
        }

        ready.Wait(TimeSpan.FromSeconds(60));
        var warm = await WriteAsync(writer, Warmup, answered);
        await Eventually.UntilAsync(() => Task.FromResult(receipts.Min(r => r.Count)), count => count >= Warmup, count => $"a subscriber got only {count} of {Warmup} warm-up events", timeoutMs: 60_000);
        var started = Stopwatch.GetTimestamp();
        await WriteAsync(writer, events, answered);
        var finished = Task.WhenAll(streams);
        if (await Task.WhenAny(finished, Task.Delay(TimeSpan.FromSeconds(120))) != finished)
        {
            await stop.CancelAsync();
        }

        var all = receipts.SelectMany(r => r).Where(r => !warm.Contains(r.UserId)).ToList();
        var elapsed = Stopwatch.GetElapsedTime(started, all.Max(r => r.At));
        var sinceAnswer = all.Select(r => Stopwatch.GetElapsedTime(answered[r.UserId], r.At).TotalMilliseconds).Order().ToArray();
        var sinceOccurred = all.Select(r => r.SinceOccurredMs).Order().ToArray();
        return new Result(all.Count, all.Count / elapsed.TotalSeconds, Measurement.Percentile(sinceAnswer, 0.50), Measurement.Percentile(sinceAnswer, 0.99), Measurement.Percentile(sinceOccurred, 0.50), Measurement.Percentile(sinceOccurred, 0.99));
    }

    /// <summary>Creates <paramref name="count"/> users from 4 concurrent writers, noting when each
    /// answer arrived; returns the users' ids.</summary>
    private static async Task<HashSet<string>> WriteAsync(HttpClient writer, int count, ConcurrentDictionary<string, long> answered)
    {
        var ids = new ConcurrentBag<string>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/users")
                {
                    Content = JsonContent.Create(new { external_user_id = "ev-" + Guid.NewGuid().ToString("N"), type = "buyer" }),
                };
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                using var response = await writer.SendAsync(request);
                response.EnsureSuccessStatusCode();
                var at = Stopwatch.GetTimestamp();
                var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
                answered[id] = at;
                ids.Add(id);
            }
        }));
        return [.. ids];
    }

    /// <summary>Notes a receipt for every complete data line of <paramref name="buffer"/> and
    /// returns where the unread rest starts. The client shares the two cores with the server, so it
    /// reads only the two fields it needs, without building a document.</summary>
    private static SequencePosition Consume(ReadOnlySequence<byte> buffer, long at, DateTimeOffset now, List<Receipt> into)
    {
        var lines = new SequenceReader<byte>(buffer);
        while (lines.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            var fields = new SequenceReader<byte>(line);
            if (!fields.IsNext("data: "u8, advancePast: true))
            {
                continue;
            }

            var json = new Utf8JsonReader(fields.UnreadSequence);
            string? user = null;
            DateTimeOffset? occurred = null;
            while ((user is null || occurred is null) && json.Read())
            {
                if (json.TokenType == JsonTokenType.PropertyName && json.CurrentDepth == 1)
                {
                    var name = json.ValueTextEquals("resource_id"u8) ? 1 : json.ValueTextEquals("occurred_at"u8) ? 2 : 0;
                    json.Read();
                    if (name == 1)
                    {
                        user = json.GetString();
                    }
                    else if (name == 2)
                    {
                        occurred = json.GetDateTimeOffset();
                    }
                }
            }

            into.Add(new Receipt(user!, at, (now - occurred!.Value).TotalMilliseconds));
        }

        return lines.Position;
    }
}
