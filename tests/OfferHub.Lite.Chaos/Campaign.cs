using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Chaos;

/// <param name="Patient">The client waits 90 s (for retries and for states) and the orchestrator
/// reconciles every 5 s: for a machine so loaded that a take-over after a kill does not fit in
/// 30 s (docs/chaos.md).</param>
public sealed record CampaignOptions(int Seed, int Trials, string Db, int FirstTrial, int Flows, TimeSpan RetryFor, bool Patient)
{
    public TimeSpan Patience => Patient ? TimeSpan.FromSeconds(90) : TimeSpan.FromSeconds(30);
}

/// <summary>A violated invariant, with everything needed to find and replay it.</summary>
public sealed record Failure(int Trial, string Invariant, string Detail);

/// <summary>The seeded fault campaign (docs/chaos.md): trial after trial, concurrent money flows
/// through the HTTP API of a real orchestrator process while the provider simulators fail calls,
/// hang after doing the work, drop, duplicate and reorder callbacks, and the orchestrator is
/// killed and restarted; after each trial the invariants are checked.</summary>
public sealed class Campaign(CampaignOptions options, TextWriter log)
{
    private const string AirtmControl = "/sim/airtm/_control";
    private const string TrustlessControl = "/sim/trustless-work/_control";

    private readonly Dictionary<string, int> faults = new(StringComparer.Ordinal);
    private readonly List<Failure> failures = [];
    private int flowsRun;
    private int flowsFinished;
    private int keysRetried;
    private int keysInProgress;
    private TimeSpan longestRetry;

    public IReadOnlyList<Failure> Failures => failures;

    public async Task<int> RunAsync()
    {
        var database = Database();
        if (database is null)
        {
            log.WriteLine($"postgres unavailable: {PostgresServer.UnavailableReason}");
            return 2;
        }

        await using var orchestrator = await Orchestrator.StartAsync(database, options.Patient);
        using var provider = orchestrator.Provider.Client(null);
        using var master = new HttpClient { BaseAddress = orchestrator.BaseAddress };
        master.DefaultRequestHeaders.Authorization = new("Bearer", ServerProcess.MasterKey);
        var created = await master.PostAsJsonAsync("/api/v1/auth/api-keys", new { name = "chaos", scopes = new[] { "read", "write", "support" } });
        var apiKey = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("api_key").GetString();
        using var http = new HttpClient { BaseAddress = orchestrator.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);

        log.WriteLine($"chaos: seed {options.Seed}, trials {options.FirstTrial}..{options.FirstTrial + options.Trials - 1}, db {options.Db}, {options.Flows} concurrent flows" + (options.Patient ? ", patient" : string.Empty));
        var started = DateTime.UtcNow;
        for (var trial = options.FirstTrial; trial < options.FirstTrial + options.Trials; trial++)
        {
            var before = failures.Count;
            await TrialAsync(trial, orchestrator, provider, http);
            foreach (var failure in failures.Skip(before))
            {
                log.WriteLine($"FAIL seed {options.Seed} trial {failure.Trial} db {options.Db}: {failure.Invariant}: {failure.Detail}");
            }

            if (failures.Count > before)
            {
                log.WriteLine($"  replay: dotnet run --project tests/OfferHub.Lite.Chaos -- --seed {options.Seed} --trial {trial} --trials 1 --db {options.Db}");
            }

            // The figures so far, so that a long campaign can be read (or stopped) at any point.
            await CountAppliedAsync(provider);
            if (trial < options.FirstTrial + options.Trials - 1)
            {
                log.WriteLine(Summary("progress", trial - options.FirstTrial + 1, orchestrator, DateTime.UtcNow - started));
            }
        }

        log.WriteLine(Summary("summary", options.Trials, orchestrator, DateTime.UtcNow - started));
        return failures.Count == 0 ? 0 : 1;
    }

    private string? Database()
    {
        if (options.Db == "postgres")
        {
            return PostgresServer.Instance?.CreateDatabase();
        }

        var folder = Path.Combine(Path.GetTempPath(), "offerhub-chaos");
        Directory.CreateDirectory(folder);
        return "sqlite://" + Path.Combine(folder, $"orchestrator-{options.Seed}-{Environment.ProcessId}-{DateTime.UtcNow.Ticks}.db");
    }

    /// <summary>The seed of one trial: the same trial of the same campaign seed always draws the same plan.</summary>
    public static int TrialSeed(int seed, int trial) => unchecked((seed * 1_000_003) + trial);

    private async Task TrialAsync(int trial, Orchestrator orchestrator, HttpClient provider, HttpClient http)
    {
        var random = new Random(TrialSeed(options.Seed, trial));
        var api = new Api(http, options.RetryFor, () => orchestrator.Downtime);
        var flows = Enumerable.Range(1, options.Flows)
            .Select(f => new MoneyFlow(api, provider, new Random(random.Next()), $"s{options.Seed}-t{trial}-f{f}", options.Patience))
            .ToList();

        // The faults of this trial, drawn before anything runs.
        var airtmCallbacks = Pick(random, "normal", "normal", "drop", "duplicate", "hold");
        var trustlessNotifications = Pick(random, "off", "normal", "drop", "duplicate", "hold");
        var reorder = random.Next(2) == 0;
        var schedule = new List<(int AtMs, string Kind)>();
        foreach (var kind in new[] { "airtm_500", "airtm_timeout", "trustless_500", "trustless_timeout" })
        {
            for (var n = random.Next(0, 3); n > 0; n--)
            {
                schedule.Add((random.Next(0, 4000), kind));
            }
        }

        for (var n = random.Next(0, 3); n > 0; n--)
        {
            schedule.Add((random.Next(200, 5000), random.Next(5) == 0 ? "sigterm" : "sigkill"));
        }

        schedule.Sort((a, b) => a.AtMs.CompareTo(b.AtMs));
        Count("airtm_callbacks_" + airtmCallbacks);
        Count("trustless_notifications_" + trustlessNotifications);
        if (reorder && (airtmCallbacks == "hold" || trustlessNotifications == "hold"))
        {
            Count("callbacks_reordered");
        }

        await provider.PostAsJsonAsync($"{AirtmControl}/callbacks", new { mode = airtmCallbacks });
        await provider.PostAsJsonAsync($"{TrustlessControl}/notifications", new { mode = trustlessNotifications });

        log.WriteLine($"trial {trial}: {string.Join("; ", flows.Select(f => f.Describe()))}; callbacks {airtmCallbacks}, notifications {trustlessNotifications}; " +
                      $"faults [{string.Join(", ", schedule.Select(s => $"{s.Kind}@{s.AtMs}ms"))}]");

        var running = flows.Select(async flow =>
        {
            try
            {
                await flow.RunAsync();
            }
            catch (Exception failure) when (failure is FlowFailedException or HttpRequestException or TaskCanceledException or JsonException
                                                or KeyNotFoundException or InvalidOperationException)
            {
                // Unexpected answers of the simulators' controls, or bodies without the fields the
                // contract promises, are failures of the trial too, not of the campaign.
                lock (failures)
                {
                    failures.Add(new Failure(trial, "flow could not go on", $"{flow.Describe()}: {(failure is FlowFailedException ? failure.Message : failure.ToString())}"));
                }
            }
        }).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var injecting = InjectAsync(schedule, orchestrator, provider);
        await Task.WhenAll(running);
        await injecting;
        var flowed = clock.Elapsed;
        flowsRun += flows.Count;
        flowsFinished += flows.Count(f => f.Finished);

        await SettleAsync(trial, provider, reorder);
        var settled = clock.Elapsed;
        await CheckAsync(trial, orchestrator, provider, api, flows);
        log.WriteLine($"  flows {flowed.TotalSeconds:F1} s, settled {(settled - flowed).TotalSeconds:F1} s, checked {(clock.Elapsed - settled).TotalSeconds:F1} s");
    }

    private async Task InjectAsync(List<(int AtMs, string Kind)> schedule, Orchestrator orchestrator, HttpClient provider)
    {
        var start = DateTime.UtcNow;
        foreach (var (at, kind) in schedule)
        {
            var wait = start.AddMilliseconds(at) - DateTime.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            Count(kind);
            switch (kind)
            {
                case "sigkill":
                case "sigterm":
                    await orchestrator.RestartAsync(kill: kind == "sigkill");
                    break;
                default:
                    var control = kind.StartsWith("airtm", StringComparison.Ordinal) ? AirtmControl : TrustlessControl;
                    object fault = kind.EndsWith("500", StringComparison.Ordinal) ? new { status = 500 } : new { hang_seconds = 3 };
                    await provider.PostAsJsonAsync($"{control}/faults", fault);
                    break;
            }
        }
    }

    /// <summary>The faults stop: queued ones are dropped, held callbacks are sent (newest first
    /// when reordering), and everything the simulators still have to say is delivered.</summary>
    private async Task SettleAsync(int trial, HttpClient provider, bool reorder)
    {
        await provider.DeleteAsync($"{AirtmControl}/faults");
        await provider.DeleteAsync($"{TrustlessControl}/faults");
        await provider.PostAsJsonAsync($"{AirtmControl}/callbacks", new { mode = "normal" });
        await provider.PostAsJsonAsync($"{TrustlessControl}/notifications", new { mode = "normal" });
        await provider.PostAsJsonAsync($"{AirtmControl}/callbacks/release", new { order = reorder ? "reverse" : "in_order" });
        await provider.PostAsJsonAsync($"{TrustlessControl}/notifications/release", new { order = reorder ? "reverse" : "in_order" });
        foreach (var pending in new[] { $"{AirtmControl}/callbacks/pending", $"{TrustlessControl}/notifications/pending" })
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await provider.GetFromJsonAsync<JsonElement>(pending)).GetProperty("pending").GetInt32() > 0)
            {
                if (DateTime.UtcNow > deadline)
                {
                    failures.Add(new Failure(trial, "callbacks delivered", $"{pending} still has callbacks after 30 s"));
                    break;
                }

                await Task.Delay(100);
            }
        }
    }

    private async Task CheckAsync(int trial, Orchestrator orchestrator, HttpClient provider, Api api, List<MoneyFlow> flows)
    {
        void Fail(string invariant, string detail) => failures.Add(new Failure(trial, invariant, detail));

        // Every retried key answered its outcome: a 4xx after a retry is an error about its own success.
        foreach (var key in api.Keys)
        {
            if (key.Retried)
            {
                keysRetried++;
                longestRetry = key.Took > longestRetry ? key.Took : longestRetry;
            }

            // Allowed by the contract until the lock times out, but worth seeing: how long a
            // client waited on a key whose process died.
            if (key.Attempts.Contains("409 IDEMPOTENCY_KEY_IN_PROGRESS"))
            {
                keysInProgress++;
                log.WriteLine($"  note: {key.Route} key {key.Key} answered IDEMPOTENCY_KEY_IN_PROGRESS {key.Attempts.Count(a => a == "409 IDEMPOTENCY_KEY_IN_PROGRESS")} times over {key.Took.TotalSeconds:F1} s, then {key.Final}");
            }

            if (key.Final is not { Ok: true } && key.Retried)
            {
                Fail("retried key answered its outcome", $"{key.Route} key {key.Key} answered {key.Final?.ToString() ?? "nothing"} (attempts: {string.Join(", ", key.Attempts)})");
            }
        }

        // Nothing stuck after reconciliation: repair everything waiting, then nothing is left waiting.
        var repaired = Report(await orchestrator.ReconcileAsync(fix: true), "reconcile --fix", Fail);
        if (repaired is { } fixes)
        {
            foreach (var item in fixes.GetProperty("stuck").EnumerateArray())
            {
                Count("reconciled_" + item.GetProperty("kind").GetString());
                if (item.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
                {
                    Fail("reconcile repairs", $"{item.GetProperty("kind").GetString()} {item.GetProperty("id").GetString()} ({item.GetProperty("before").GetString()}): {error.GetString()}");
                }
            }
        }

        // The report's ledger proof and provider places are taken after its repairs; only when it
        // repaired something is a second look needed to see that nothing is left waiting.
        var after = repaired is { } first && first.GetProperty("stuck").GetArrayLength() == 0
            ? first
            : Report(await orchestrator.ReconcileAsync(fix: false), "reconcile", Fail);
        if (after is { } last)
        {
            foreach (var item in last.GetProperty("stuck").EnumerateArray())
            {
                Fail("nothing stuck after reconciliation", $"{item.GetProperty("kind").GetString()} {item.GetProperty("id").GetString()} still {item.GetProperty("before").GetString()}");
            }

            if (!last.GetProperty("ledger_balanced").GetBoolean())
            {
                Fail("ledger balanced", last.GetProperty("ledger_mismatches").GetRawText());
            }

            foreach (var place in last.GetProperty("places").EnumerateArray())
            {
                var ledger = place.GetProperty("ledger").GetInt64();
                var reported = place.GetProperty("provider");
                if (reported.ValueKind != JsonValueKind.Number || reported.GetInt64() != ledger)
                {
                    Fail("provider places match the ledger", $"{place.GetProperty("name").GetString()}: ledger {ledger}, provider {reported.GetRawText()}");
                }
            }
        }

        foreach (var flow in flows.Where(f => f.Buyer is not null && f.Seller is not null))
        {
            await CheckMoneyAsync(flow, api, provider, Fail);
        }
    }

    private static JsonElement? Report(Cli.Result result, string command, Action<string, string> fail)
    {
        try
        {
            if (result.Out.Length > 0)
            {
                return JsonDocument.Parse(result.Out).RootElement.Clone();
            }
        }
        catch (JsonException)
        {
            // reported below
        }

        fail(command, $"exit {result.ExitCode}: {result.Error} {result.Out}".Trim());
        return null;
    }

    /// <summary>Every user's money equals what the providers moved for them: the buyer holds the
    /// pay-ins Airtm confirmed for their account, less what went into escrow and did not come back,
    /// less the payouts Airtm completed for them; the seller holds what escrow released to them,
    /// less their completed payouts; each escrow contract still holds funded minus released minus
    /// refunded; and each top-up was credited once.</summary>
    private static async Task CheckMoneyAsync(MoneyFlow flow, Api api, HttpClient provider, Action<string, string> fail)
    {
        long funded = 0, released = 0, refunded = 0;
        if (flow.Order is not null)
        {
            var escrow = await api.GetAsync($"/api/v1/orders/{flow.Order}/escrow");
            if (escrow.Ok)
            {
                funded = Cents(escrow.Str("funded_amount"));
                released = Cents(escrow.Str("released_amount"));
                refunded = Cents(escrow.Str("refunded_amount"));
                if (escrow.Body.GetProperty("trustless_contract_id").GetString() is { } contract)
                {
                    var onChain = await provider.GetFromJsonAsync<JsonElement>($"{TrustlessControl}/contracts/{contract}");
                    var balance = (long)(onChain.GetProperty("balance").GetDecimal() * 100);
                    if (balance != funded - released - refunded)
                    {
                        fail("escrow matches Trustless Work", $"order {flow.Order}: contract {contract} holds {MoneyFlow.Cents(balance)}, orchestrator says funded {MoneyFlow.Cents(funded)} released {MoneyFlow.Cents(released)} refunded {MoneyFlow.Cents(refunded)}");
                    }
                }
            }

            if (flow.Finished && (released != flow.ExpectedReleased || refunded != flow.ExpectedRefunded))
            {
                fail("escrow moved what was asked", $"order {flow.Order} ({flow.Describe()}): released {MoneyFlow.Cents(released)} refunded {MoneyFlow.Cents(refunded)}, asked {MoneyFlow.Cents(flow.ExpectedReleased)} and {MoneyFlow.Cents(flow.ExpectedRefunded)}");
            }
        }

        var payins = (await provider.GetFromJsonAsync<JsonElement>($"{AirtmControl}/payins")).EnumerateArray()
            .Where(p => p.GetProperty("status").GetString() == "CONFIRMED" && p.TryGetProperty("airtmUserEmail", out var e) && string.Equals(e.GetString(), flow.BuyerEmail, StringComparison.OrdinalIgnoreCase))
            .Sum(p => (long)(p.GetProperty("amount").GetDecimal() * 100));
        await Expect(flow.Buyer!, "buyer", payins - funded + refunded - await PaidOutAsync(flow.BuyerEmail), $"Airtm confirmed {MoneyFlow.Cents(payins)}, escrow took {MoneyFlow.Cents(funded)} and gave back {MoneyFlow.Cents(refunded)}");
        await Expect(flow.Seller!, "seller", released - await PaidOutAsync(flow.SellerEmail), $"escrow released {MoneyFlow.Cents(released)}");

        foreach (var topup in flow.Topups)
        {
            var ledger = await api.GetAsync($"/api/v1/users/{flow.Buyer}/ledger?limit=100");
            var credits = ledger.Ok ? ledger.Body.GetProperty("data").EnumerateArray().Count(e => e.GetProperty("reference_id").GetString() == topup && !e.GetProperty("amount").GetString()!.StartsWith('-')) : -1;
            if (credits > 1)
            {
                fail("nothing applied twice", $"top-up {topup} credited {credits} times");
            }
        }

        async Task<long> PaidOutAsync(string email) =>
            (await provider.GetFromJsonAsync<JsonElement>($"{AirtmControl}/payouts?email={Uri.EscapeDataString(email)}")).EnumerateArray()
                .Where(p => p.GetProperty("status").GetString() == "COMPLETED")
                .Sum(p => (long)(p.GetProperty("amount").GetDecimal() * 100));

        async Task Expect(string user, string role, long expected, string how)
        {
            var balance = await api.GetAsync($"/api/v1/users/{user}/balance");
            var total = balance.Ok ? Cents(balance.Str("total")) : long.MinValue;
            if (total != expected)
            {
                fail("user's money equals what the providers moved", $"{role} {user} ({flow.Describe()}): holds {(balance.Ok ? balance.Str("total") : balance.ToString())}, providers say {MoneyFlow.Cents(expected)} ({how}, payouts completed subtracted)");
            }
        }
    }

    private async Task CountAppliedAsync(HttpClient provider)
    {
        foreach (var (name, path) in new[] { ("airtm", $"{AirtmControl}/faults"), ("trustless", $"{TrustlessControl}/faults") })
        {
            var counts = await provider.GetFromJsonAsync<JsonElement>(path);
            faults[name + "_500_applied"] = counts.GetProperty("applied_statuses").GetInt32();
            faults[name + "_timeout_applied"] = counts.GetProperty("applied_hangs").GetInt32();
        }

        foreach (var (name, path) in new[] { ("airtm_callbacks", $"{AirtmControl}/callbacks/pending"), ("trustless_notifications", $"{TrustlessControl}/notifications/pending") })
        {
            var counts = await provider.GetFromJsonAsync<JsonElement>(path);
            foreach (var kind in new[] { "dropped", "duplicated", "held" })
            {
                faults[$"{name}_{kind}"] = counts.GetProperty(kind).GetInt32();
            }
        }
    }

    private string Summary(string label, int trials, Orchestrator orchestrator, TimeSpan took) =>
        $"chaos {label}: seed {options.Seed}, db {options.Db}, trials {trials}, flows {flowsRun} ({flowsFinished} finished), " +
        $"SIGKILL {orchestrator.SigKills}, SIGTERM {orchestrator.Terminations}, keys retried {keysRetried} (longest {longestRetry.TotalSeconds:F1} s, {keysInProgress} answered IDEMPOTENCY_KEY_IN_PROGRESS), {took.TotalSeconds:F0} s\n" +
        $"  faults: {string.Join(", ", faults.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value}"))}\n" +
        $"  failures: {failures.Count}" + (failures.Count == 0 ? string.Empty : " in trials " + string.Join(", ", failures.Select(f => f.Trial).Distinct()));

    private void Count(string kind) => faults[kind] = faults.GetValueOrDefault(kind) + 1;

    private static string Pick(Random random, params string[] choices) => choices[random.Next(choices.Length)];

    private static long Cents(string amount) =>
        (amount.StartsWith('-') ? -1 : 1) * long.Parse(amount.TrimStart('-').Replace(".", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
}
