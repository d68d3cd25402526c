using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using OfferHub.Lite.Host.Observability;
using OfferHub.Lite.Tests.Support;
using OpenTelemetry.Trace;

namespace OfferHub.Lite.Tests.Foundation;

/// <summary>The product's meters and the framework's are process-wide, so these tests run alone
/// (after the parallel ones) and compare scrapes before and after what they do.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ObservabilityCollection
{
    public const string Name = "observability";
}

[Collection(ObservabilityCollection.Name)]
public sealed class ObservabilityTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_scrape_after_the_worked_example_shows_exactly_its_money_flows_provider_calls_and_requests(Dialect dialect)
    {
        await using var app = NewApp(dialect);
        var client = await app.WriterAsync();
        await (await app.Client().GetAsync("/metrics")).ErrorAsync(401, "UNAUTHORIZED");
        var before = await ScrapeAsync(app);

        var parties = await client.FundedOrderAsync("50.00", "20.00");
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "FULL" })).OkAsync();
        await client.CallbacksSettledAsync();
        await client.NotificationsSettledAsync();
        var after = await ScrapeAsync(app);

        long Delta(string name, params string[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        void AssertDelta(long expected, string name, params string[] labels) =>
            Assert.True(expected == Delta(name, labels), $"{name} {string.Join(',', labels)} moved by {Delta(name, labels)}, expected {expected}:\n{after.Lines(name, labels)}");
        AssertDelta(1, "offerhub_money_flows_total", "kind=topup", "outcome=created");
        AssertDelta(1, "offerhub_money_flows_total", "kind=topup", "outcome=succeeded");
        AssertDelta(5000, "offerhub_money_flow_cents_total", "kind=topup", "outcome=succeeded");
        AssertDelta(2000, "offerhub_money_flow_cents_total", "kind=reserve", "outcome=reserved");
        AssertDelta(1, "offerhub_money_flows_total", "kind=escrow_fund", "outcome=succeeded");
        AssertDelta(2000, "offerhub_money_flow_cents_total", "kind=escrow_fund", "outcome=succeeded");
        AssertDelta(1, "offerhub_money_flows_total", "kind=escrow_release", "outcome=succeeded");
        AssertDelta(2000, "offerhub_money_flow_cents_total", "kind=escrow_release", "outcome=succeeded");
        AssertDelta(0, "offerhub_money_flows_total", "kind=withdrawal");
        AssertDelta(0, "offerhub_money_flows_total", "kind=escrow_refund");
        AssertDelta(1, "offerhub_provider_call_duration_seconds_count", "provider=airtm", "operation=create_payin", "outcome=ok");
        Assert.True(Delta("offerhub_provider_call_duration_seconds_count", "provider=trustless_work", "outcome=ok") >= 3, after.Text);
        AssertDelta(0, "offerhub_provider_call_duration_seconds_count", "outcome=server_error");
        AssertDelta(1, "http_server_request_duration_seconds_count", "http_route=/api/v1/topups/", "http_request_method=POST", "http_response_status_code=201");
        AssertDelta(1, "http_server_request_duration_seconds_count", "http_route=/api/v1/orders/{id}/reserve", "http_response_status_code=200");
        Assert.True(Delta("offerhub_idempotency_requests_total", "result=executed") >= 8, after.Text);
        AssertDelta(0, "offerhub_idempotency_requests_total", "result=replayed");
        Assert.Equal(-1, after.Sum("offerhub_ledger_balanced"));

        // A replay and a rate-limit rejection move their own counters by one.
        var key = Guid.NewGuid().ToString();
        await (await client.PostAsync("/api/v1/users", new { external_user_id = "replayed", type = "buyer", email = "replayed@example.com" }, key)).OkAsync(HttpStatusCode.Created);
        await (await client.PostAsync("/api/v1/users", new { external_user_id = "replayed", type = "buyer", email = "replayed@example.com" }, key)).OkAsync(HttpStatusCode.Created);
        var payer = await client.CreateUserAsync("buyer");
        await client.LinkAirtmAsync(payer);
        var now = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(now.Ticks % TimeSpan.FromMinutes(1).Ticks));
        await client.CreateTopupAsync(payer, "1.00");
        await (await client.PostNewAsync("/api/v1/topups", new { user_id = payer, amount = "1.00", currency = "USD", return_url = "https://m.example/r", cancel_url = "https://m.example/c" }))
            .ErrorAsync(429, "RATE_LIMITED");
        var final = await ScrapeAsync(app);
        Assert.Equal(1, final.Sum("offerhub_idempotency_requests_total", "result=replayed") - after.Sum("offerhub_idempotency_requests_total", "result=replayed"));
        Assert.Equal(1, final.Sum("offerhub_rate_limit_rejections_total", "limit=topups") - after.Sum("offerhub_rate_limit_rejections_total", "limit=topups"));

        // The ledger proof's result is on the next scrape.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new OfferHub.Lite.Features.Operations.CheckLedger.CheckLedger.Command())).Balanced);
        }

        Assert.Equal(1, (await ScrapeAsync(app)).Sum("offerhub_ledger_balanced"));

        // No label carries an id, an e-mail address, an amount or a key.
        foreach (var (_, labels) in final.Series)
        {
            foreach (var (name, value) in labels)
            {
                Assert.DoesNotContain(name, new[] { "user_id", "email", "amount", "key", "api_key" });
                Assert.DoesNotContain("@", value, StringComparison.Ordinal);
                Assert.False(value.StartsWith("usr_", StringComparison.Ordinal) || value.StartsWith("ord_", StringComparison.Ordinal) || value.StartsWith("ohk_", StringComparison.Ordinal), $"{name}={value}");
                Assert.DoesNotContain(TestApp.MasterKey, value, StringComparison.Ordinal);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_topups_trace_holds_the_airtm_call_and_the_callback_linked_to_the_api_span(Dialect dialect)
    {
        var spans = new SpanCollection();
        await using var app = NewApp(dialect, tracing: true, spans);
        var client = await app.WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        var email = await client.LinkAirtmAsync(user);
        var key = Guid.NewGuid().ToString();
        var response = await client.SendAsync(Http.Json(HttpMethod.Post, "/api/v1/topups", new
        {
            user_id = user,
            amount = "12.00",
            currency = "USD",
            return_url = "https://marketplace.example/return",
            cancel_url = "https://marketplace.example/cancel",
        }, key));
        var requestId = response.Headers.GetValues("X-Request-ID").Single();
        var topup = await response.OkAsync(HttpStatusCode.Created);
        var topupId = topup.Str("id");
        await (await client.PostAsync($"{Support.Airtm.Control}/payins/{topup.PayinId()}/confirm", new { email })).OkAsync();
        await client.WaitForStatusAsync($"/api/v1/topups/{topupId}", "TOPUP_SUCCEEDED");

        List<Activity> Snapshot() => spans.Snapshot();

        var api = await Eventually.UntilAsync(
            () => Task.FromResult(Snapshot().SingleOrDefault(a => a.Kind == ActivityKind.Server && Equals(a.GetTagItem("offerhub.request_id"), requestId))),
            a => a is not null, _ => "the API span of the top-up was not exported");
        Assert.Equal(topupId, api!.GetTagItem("offerhub.topup_id"));
        Assert.Equal(topupId, api.GetTagItem("offerhub.resource_id"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), api.GetTagItem("offerhub.idempotency_key_hash"));
        Assert.Contains(Snapshot(), a => a.DisplayName == "airtm create_payin" && a.TraceId == api.TraceId && Equals(a.GetTagItem("offerhub.provider.outcome"), "ok"));

        var callback = await Eventually.UntilAsync(
            () => Task.FromResult(Snapshot().FirstOrDefault(a => a.Kind == ActivityKind.Server && Equals(a.GetTagItem("offerhub.topup_id"), topupId)
                && a.GetTagItem("http.route") is string route && route.Contains("webhooks", StringComparison.Ordinal))),
            a => a is not null, _ => "the callback's span was not exported");
        Assert.NotEqual(api.TraceId, callback!.TraceId);
        Assert.Contains(callback.Links, link => link.Context.TraceId == api.TraceId && link.Context.SpanId == api.SpanId);
        if (dialect == Dialect.Sqlite)
        {
            Assert.Contains(Snapshot(), a => a.DisplayName == "sqlite INSERT" && a.TraceId == api.TraceId && Equals(a.GetTagItem("db.system.name"), "sqlite"));
        }
        else
        {
            Assert.Contains(Snapshot(), a => a.Source.Name == "Npgsql" && a.TraceId == api.TraceId);
        }

        // Neither the e-mail address (in Airtm's user lookup path) nor a key is in any span or log line.
        foreach (var span in Snapshot())
        {
            foreach (var (name, value) in span.TagObjects)
            {
                var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                Assert.False(text.Contains(email, StringComparison.Ordinal) || text.Contains(Uri.EscapeDataString(email), StringComparison.Ordinal), $"{span.DisplayName}: {name}={text}");
                Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            }
        }

        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(email, StringComparison.Ordinal) || line.Contains(key, StringComparison.Ordinal));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Probes_answer_live_and_ready_and_turn_not_ready_once_shutdown_begins(Dialect dialect)
    {
        await using var app = NewApp(dialect);
        var client = app.Client();
        Assert.Equal("live", (await (await client.GetAsync("/api/v1/health/live")).OkAsync()).Str("status"));
        var ready = await (await client.GetAsync("/api/v1/health/ready")).OkAsync();
        Assert.Equal("ready", ready.Str("status"));
        Assert.Equal("ok", ready.GetProperty("checks").Str("database"));
        Assert.Equal("ok", ready.GetProperty("checks").Str("migrations"));
        Assert.Equal("ok", ready.GetProperty("checks").Str("shutdown"));

        // The test host tears its server down as soon as shutdown begins, so the check the
        // endpoint runs is asked directly once the stopping signal has fired.
        var readiness = app.Services.GetRequiredService<Readiness>();
        app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        var stopping = await readiness.CheckAsync(CancellationToken.None);
        Assert.Equal("not_ready", stopping.Status);
        Assert.Equal("stopping", stopping.Checks["shutdown"]);
    }

    [Fact]
    public async Task A_server_with_LOG_FORMAT_json_writes_only_json_lines_and_serves_metrics_openly_on_its_own_port()
    {
        var metricsPort = Ports.Free();
        await using var server = await ServerProcess.StartAsync(fixture.NewDatabaseUrl(Dialect.Sqlite), new Dictionary<string, string>
        {
            ["LOG_FORMAT"] = "json",
            ["Logging__LogLevel__Default"] = "Information",
            ["OfferHub__Metrics__Port"] = metricsPort.ToString(CultureInfo.InvariantCulture),
        });
        using var master = server.Client();
        var key = (await (await master.PostAsync("/api/v1/auth/api-keys", new { name = "json logs", scopes = new[] { "read", "write" } })).OkAsync(HttpStatusCode.Created)).Str("api_key");
        using var client = server.Client(key);
        await (await client.PostNewAsync("/api/v1/users", new { external_user_id = "json-1", type = "buyer", email = "logged@example.com" })).OkAsync(HttpStatusCode.Created);

        using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };
        var scrape = await scraper.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("offerhub_idempotency_requests_total", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await master.GetAsync("/metrics")).StatusCode);

        var lines = await Eventually.UntilAsync(() => Task.FromResult(server.Output.ToArray()), l => l.Any(x => x.Contains("\"request_id\"", StringComparison.Ordinal)),
            l => "no log line carried a request_id:\n" + string.Join('\n', l.TakeLast(10)));
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.True(json.RootElement.TryGetProperty("timestamp", out _) && json.RootElement.TryGetProperty("level", out _) && json.RootElement.TryGetProperty("message", out _), line);
            Assert.DoesNotContain("logged@example.com", line, StringComparison.Ordinal);
            Assert.DoesNotContain(key, line, StringComparison.Ordinal);
            Assert.DoesNotContain(ServerProcess.MasterKey, line, StringComparison.Ordinal);
        }

        Assert.Contains(lines, line => line.Contains("\"request_id\"", StringComparison.Ordinal) && line.Contains("\"trace_id\"", StringComparison.Ordinal) && line.Contains("\"span_id\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_logs_are_one_object_per_line_with_request_trace_and_resource_ids_and_masked_emails()
    {
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.SetTag("offerhub.topup_id", "topup_1");
        var scopes = new LoggerExternalScopeProvider();
        using var scope = scopes.Push(new Dictionary<string, object> { ["RequestId"] = "req_42" });
        IReadOnlyList<KeyValuePair<string, object?>> state =
        [
            new("Provider", "airtm"), new("Status", 201), new("Payer", "ana@example.com"), new("{OriginalFormat}", "{Provider} answered {Status}"),
        ];
        var entry = new LogEntry<IReadOnlyList<KeyValuePair<string, object?>>>(LogLevel.Information, "OfferHub.Test", default, state, null, (_, _) => "airtm answered 201");
        using var output = new StringWriter();
        new JsonLogFormatter().Write(entry, scopes, output);

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.True(DateTimeOffset.TryParse(root.Str("timestamp"), CultureInfo.InvariantCulture, out _));
        Assert.Equal("information", root.Str("level"));
        Assert.Equal("airtm answered 201", root.Str("message"));
        Assert.Equal("req_42", root.Str("request_id"));
        Assert.Equal(activity.TraceId.ToHexString(), root.Str("trace_id"));
        Assert.Equal(activity.SpanId.ToHexString(), root.Str("span_id"));
        Assert.Equal("topup_1", root.Str("topup_id"));
        Assert.Equal("airtm", root.Str("provider"));
        Assert.Equal(201, root.GetProperty("status").GetInt32());
        Assert.Equal("a***@example.com", root.Str("payer"));
        Assert.DoesNotContain("ana@example.com", line, StringComparison.Ordinal);
    }

    private TestApp NewApp(Dialect dialect, bool tracing = false, SpanCollection? spans = null)
    {
        if (dialect == Dialect.Postgres)
        {
            Skip.If(PostgresServer.Instance is null, "SKIPPED (no PostgreSQL): " + PostgresServer.UnavailableReason);
        }

        var settings = new Dictionary<string, string?>
        {
            ["OfferHub:Telemetry:Tracing"] = tracing ? "true" : "false",
            ["OfferHub:RateLimits:TopupsPerUserPerMinute"] = "1",
        };
        return new TestApp(dialect, fixture.NewDatabaseUrl(dialect), settings)
        {
            ExtraServices = spans is null ? null : services => services.ConfigureOpenTelemetryTracerProvider(traces => traces.AddInMemoryExporter(spans)),
        };
    }

    private static async Task<Scrape> ScrapeAsync(TestApp app)
    {
        var response = await app.Master().GetAsync("/metrics");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/metrics answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n"
            + string.Join('\n', app.Logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Warning", StringComparison.Ordinal)).TakeLast(5)));
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return Scrape.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>A Prometheus text exposition: each series as (name, labels) with its value.</summary>
    private sealed record Scrape(string Text, List<((string Name, Dictionary<string, string> Labels) Key, double Value)> Values)
    {
        public IEnumerable<(string Name, Dictionary<string, string> Labels)> Series => Values.Select(v => v.Key);

        public string Lines(string name, string[] labels)
        {
            var family = name.Replace("_total", string.Empty, StringComparison.Ordinal).Replace("_count", string.Empty, StringComparison.Ordinal);
            var first = labels.Length == 0 ? string.Empty : labels[0][(labels[0].IndexOf('=', StringComparison.Ordinal) + 1)..];
            return string.Join('\n', Text.Split('\n').Where(l => l.Contains(family, StringComparison.Ordinal) && l.Contains(first, StringComparison.Ordinal) && !l.Contains("_bucket", StringComparison.Ordinal)).Take(40));
        }

        public static Scrape Parse(string text)
        {
            var values = new List<((string, Dictionary<string, string>), double)>();
            foreach (var line in text.Split('\n'))
            {
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                var open = line.IndexOf('{', StringComparison.Ordinal);
                var close = line.LastIndexOf('}');
                var name = open < 0 ? line[..line.IndexOf(' ', StringComparison.Ordinal)] : line[..open];
                if (open >= 0)
                {
                    foreach (var pair in line[(open + 1)..close].Split("\",", StringSplitOptions.RemoveEmptyEntries))
                    {
                        var equals = pair.IndexOf('=', StringComparison.Ordinal);
                        labels[pair[..equals]] = pair[(equals + 1)..].Trim('"');
                    }
                }

                var rest = line[((open < 0 ? name.Length : close + 1) + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                values.Add(((name, labels), double.Parse(rest[0], CultureInfo.InvariantCulture)));
            }

            return new Scrape(text, values);
        }

        /// <summary>The sum over every series of the name whose labels include all of "k=v".</summary>
        public long Sum(string name, params string[] labels) => (long)Values
            .Where(v => v.Key.Name == name && labels.All(l => v.Key.Labels.TryGetValue(l[..l.IndexOf('=', StringComparison.Ordinal)], out var value) && value == l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]))
            .Sum(v => v.Value);
    }

    /// <summary>What the in-memory exporter writes into while the test reads: the exporter adds
    /// from its own thread, so every access takes the lock.</summary>
    private sealed class SpanCollection : ICollection<Activity>
    {
        private readonly List<Activity> items = [];

        public int Count
        {
            get
            {
                lock (items)
                {
                    return items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public List<Activity> Snapshot()
        {
            lock (items)
            {
                return [.. items];
            }
        }

        public void Add(Activity item)
        {
            lock (items)
            {
                items.Add(item);
            }
        }

        public void Clear()
        {
            lock (items)
            {
                items.Clear();
            }
        }

        public bool Contains(Activity item) => Snapshot().Contains(item);

        public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(Activity item)
        {
            lock (items)
            {
                return items.Remove(item);
            }
        }

        public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
