using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;

namespace OfferHub.Lite.Chaos;

/// <summary>One answer of the orchestrator: status, body and the error code of an error envelope.</summary>
public sealed record Answer(int Status, JsonElement Body)
{
    public string? Code => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
        && error.TryGetProperty("code", out var code) ? code.GetString() : null;

    public bool Ok => Status is >= 200 and < 300;

    public string Str(string name) => Body.GetProperty(name).GetString() ?? throw new InvalidOperationException($"{name} is null");

    public override string ToString() => Code is { } code ? $"{Status} {code}" : Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What one Idempotency-Key went through: every attempt's answer (or "unreachable"), and
/// the answer the client settled on. A key retried after a lost answer must settle on the outcome
/// of the operation, never on an error about its own success.</summary>
public sealed class KeyRecord(string route, string key)
{
    public string Route { get; } = route;

    public string Key { get; } = key;

    public List<string> Attempts { get; } = [];

    public Answer? Final { get; set; }

    /// <summary>From the first attempt to the answer the client settled on.</summary>
    public TimeSpan Took { get; set; }

    public bool Retried => Attempts.Count > 1;
}

/// <summary>The marketplace backend as the campaign plays it: every write carries an
/// Idempotency-Key chosen from the trial's seed, and is retried with the same key while the
/// answer is lost (the process died, a timeout), a 5xx, a 429 or 409 IDEMPOTENCY_KEY_IN_PROGRESS,
/// for at most <paramref name="retryFor"/>, as a real client would.</summary>
/// <param name="downtime">How long the orchestrator has been down (restarting) in all: time the
/// client spends waiting for a restart does not count against its patience.</param>
public sealed class Api(HttpClient http, TimeSpan retryFor, Func<TimeSpan> downtime)
{
    /// <summary>The moment a wait that began at <paramref name="started"/> with <paramref name="down"/>
    /// of downtime behind it gives up, with the downtime since added.</summary>
    public DateTime Deadline(DateTime started, TimeSpan down, TimeSpan within) => started + within + (downtime() - down);

    public TimeSpan Downtime => downtime();

    public ConcurrentQueue<KeyRecord> Keys { get; } = new();

    public Task<Answer> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null, null);

    /// <summary>A write with a key; throws <see cref="FlowFailedException"/> unless it ends 2xx.</summary>
    public async Task<Answer> WriteAsync(string route, string path, object? body, string key)
    {
        var record = new KeyRecord(route, key);
        Keys.Enqueue(record);
        var answer = await SendAsync(HttpMethod.Post, path, body, record);
        return answer.Ok ? answer : throw new FlowFailedException($"{route} (key {key}) answered {answer} after {string.Join(", ", record.Attempts)}");
    }

    public async Task<Answer> SendAsync(HttpMethod method, string path, object? body, KeyRecord? record)
    {
        var started = DateTime.UtcNow;
        var down = downtime();
        Answer? last = null;
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(method, path);
                if (body is not null)
                {
                    request.Content = JsonContent.Create(body);
                }

                if (record is not null)
                {
                    request.Headers.Add("Idempotency-Key", record.Key);
                }

                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
                last = new Answer((int)response.StatusCode, json);
                record?.Attempts.Add(last.ToString());
                if (!Retryable(last))
                {
                    if (record is not null)
                    {
                        record.Final = last;
                        record.Took = DateTime.UtcNow - started;
                    }

                    return last;
                }
            }
            catch (Exception lost) when (lost is HttpRequestException or TaskCanceledException or JsonException)
            {
                record?.Attempts.Add("unreachable");
            }

            if (DateTime.UtcNow > Deadline(started, down, retryFor))
            {
                last ??= new Answer(0, default);
                if (record is not null)
                {
                    record.Final = last;
                    record.Took = DateTime.UtcNow - started;
                }

                return last;
            }

            await Task.Delay(250);
        }
    }

    private static bool Retryable(Answer answer) =>
        answer.Status is >= 500 or 429 || (answer.Status == 409 && answer.Code == "IDEMPOTENCY_KEY_IN_PROGRESS");
}

/// <summary>A flow that could not go on: the orchestrator answered something a correct one would not.</summary>
public sealed class FlowFailedException(string message) : Exception(message);
