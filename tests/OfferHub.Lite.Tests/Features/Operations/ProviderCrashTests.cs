using System.Net;
using System.Text.Json;
using OfferHub.Lite.Infrastructure.Providers;
using OfferHub.Lite.Infrastructure.Webhooks;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Operations;

/// <summary>Every route that calls a provider, with its process killed (SIGKILL, by the test-only
/// OFFERHUB_SIMULATED_CRASH hook) right after the provider did the work and before anything of
/// the answer was recorded (and, for a commit and a signed transaction, before the call left). The providers run in a process of their own, so they remember. After
/// a restart, the same Idempotency-Key answers the outcome (the 200/201 body the first call would
/// have got), the money moved once, and escrow operations left mid-step finish by themselves.</summary>
public sealed class ProviderCrashTests
{
    private const string AirtmControl = Support.Airtm.Control;
    private const string TrustlessControl = Support.Escrow.Control;

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_retried_key_answers_the_outcome_of_every_Airtm_call_its_process_died_in(Dialect dialect)
    {
        await using var rig = await CrashRig.StartAsync(dialect);
        var user = await rig.Client.CreateUserAsync("buyer");
        await (await rig.Client.PostNewAsync($"/api/v1/users/{user}/airtm/link", new { airtm_email = "buyer@sim.airtm" })).OkAsync();
        await rig.Client.CreditAsync(user, "100.00");

        var topup = await rig.CrashThenRetryAsync("after:create_payin", "/api/v1/topups", new
        {
            user_id = user, amount = "25.00", currency = "USD", return_url = "https://m.example/r", cancel_url = "https://m.example/c",
        }, HttpStatusCode.Created);
        Assert.Equal("TOPUP_AWAITING_USER_CONFIRMATION", topup.Str("status"));
        Assert.Single((await (await rig.Provider.GetAsync($"{AirtmControl}/payins?code={topup.Str("id")}")).OkAsync()).EnumerateArray());

        var created = await rig.CrashThenRetryAsync("after:create_payout", "/api/v1/withdrawals", new { user_id = user, amount = "10.00", currency = "USD" },
            HttpStatusCode.Created);
        Assert.Equal("WITHDRAWAL_CREATED", created.Str("status"));
        Assert.Equal("90.00", (await rig.Client.BalanceAsync(user)).Str("available"));

        var committed = await rig.CrashThenRetryAsync("after:commit_payout", $"/api/v1/withdrawals/{created.Str("id")}/commit", new { confirm = true });
        Assert.Equal(created.Str("id"), committed.Str("id"));
        Assert.Contains(committed.Str("status"), new[] { "WITHDRAWAL_COMMITTED", "WITHDRAWAL_PENDING", "WITHDRAWAL_COMPLETED" });

        var second = (await (await rig.Client.PostNewAsync("/api/v1/withdrawals", new { user_id = user, amount = "5.00", currency = "USD" }))
            .OkAsync(HttpStatusCode.Created)).Str("id");
        var canceled = await rig.CrashThenRetryAsync("after:cancel_payout", $"/api/v1/withdrawals/{second}/cancel", null);
        Assert.Equal((second, "WITHDRAWAL_CANCELED"), (canceled.Str("id"), canceled.Str("status")));
        Assert.Equal("90.00", (await rig.Client.BalanceAsync(user)).Str("available"));

        // Killed before the commit left: the retry commits it.
        var third = (await (await rig.Client.PostNewAsync("/api/v1/withdrawals", new { user_id = user, amount = "5.00", currency = "USD" }))
            .OkAsync(HttpStatusCode.Created)).Str("id");
        var late = await rig.CrashThenRetryAsync("before:commit_payout", $"/api/v1/withdrawals/{third}/commit", new { confirm = true });
        Assert.Contains(late.Str("status"), new[] { "WITHDRAWAL_COMMITTED", "WITHDRAWAL_PENDING", "WITHDRAWAL_COMPLETED" });
        Assert.Equal("85.00", (await rig.Client.BalanceAsync(user)).Str("available"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_retried_key_answers_the_outcome_of_every_escrow_step_its_process_died_in_and_interrupted_operations_finish_by_themselves(Dialect dialect)
    {
        await using var rig = await CrashRig.StartAsync(dialect);
        var buyer = await rig.Client.CreateUserAsync("buyer");
        var seller = await rig.Client.CreateUserAsync("seller");
        await rig.Client.CreditAsync(buyer, "200.00");

        // Deploy, fund and release, each killed after Trustless Work took the signed transaction.
        var first = await ReservedOrderAsync(rig.Client, buyer, seller, "30.00");
        var deployed = await rig.CrashThenRetryAsync("after:send_transaction", $"/api/v1/orders/{first}/escrow", new { });
        Assert.Equal("ESCROW_FUNDING", deployed.Str("status"));
        Assert.False(string.IsNullOrEmpty(deployed.GetProperty("escrow").Str("trustless_contract_id")));

        var funded = await rig.CrashThenRetryAsync("after:send_transaction", $"/api/v1/orders/{first}/escrow/fund", null, resumesAs: ("/api/v1/orders/" + first, "IN_PROGRESS"));
        Assert.Equal("IN_PROGRESS", funded.Str("status"));

        var released = await rig.CrashThenRetryAsync("after:send_transaction", $"/api/v1/orders/{first}/release", new { mode = "FULL" },
            resumesAs: ("/api/v1/orders/" + first, "CLOSED"));
        Assert.Equal(("CLOSED", "30.00"), (released.Str("status"), released.Str("released_amount")));
        Assert.Equal("30.00", (await rig.Client.BalanceAsync(seller)).Str("available"));

        // Killed before the signed transaction left: it is signed and sent again on resume.
        var refunded = await ReservedOrderAsync(rig.Client, buyer, seller, "20.00");
        await (await rig.Client.PostNewAsync($"/api/v1/orders/{refunded}/escrow", new { })).OkAsync();
        var resent = await rig.CrashThenRetryAsync("before:send_transaction", $"/api/v1/orders/{refunded}/escrow/fund", null, resumesAs: ("/api/v1/orders/" + refunded, "IN_PROGRESS"));
        Assert.Equal("IN_PROGRESS", resent.Str("status"));
        var refund = await rig.CrashThenRetryAsync("after:send_transaction", $"/api/v1/orders/{refunded}/refund", new { mode = "FULL" },
            resumesAs: ("/api/v1/orders/" + refunded, "CLOSED"));
        Assert.Equal(("CLOSED", "20.00"), (refund.Str("status"), refund.Str("refunded_amount")));

        object[] milestones = [new { milestone_ref = "design", title = "Design", amount = "10.00" }, new { milestone_ref = "build", title = "Build", amount = "15.00" }];
        var staged = await FundedOrderAsync(rig.Client, buyer, seller, "25.00", milestones);
        var completed = await rig.CrashThenRetryAsync("after:send_transaction", $"/api/v1/orders/{staged}/milestones/design/complete", new { completed_by = "seller" });
        Assert.Equal(("design", "COMPLETED"), (completed.Str("milestone_ref"), completed.Str("status")));

        var disputed = await FundedOrderAsync(rig.Client, buyer, seller, "40.00");
        var dispute = (await (await rig.Client.PostNewAsync($"/api/v1/orders/{disputed}/disputes", new { opened_by = "buyer", reason = "not delivered" }))
            .OkAsync(HttpStatusCode.Created)).Str("dispute_id");
        await (await rig.Client.PostNewAsync($"/api/v1/disputes/{dispute}/assign", new { agent_id = "agent-1" })).OkAsync();
        var resolved = await rig.CrashThenRetryAsync("after:send_transaction", $"/api/v1/disputes/{dispute}/resolve", new { decision = "FULL_REFUND" });
        Assert.Equal(("RESOLVED", "CLOSED"), (resolved.Str("status"), resolved.GetProperty("result").Str("order_status")));

        // A client-signed transaction, killed after Trustless Work took it.
        var signedByClient = await ReservedOrderAsync(rig.Client, buyer, seller, "15.00");
        await (await rig.Provider.PostAsync($"{TrustlessControl}/signing", new { hold = true })).EnsureNoContentAsync();
        var waiting = await (await rig.Client.PostNewAsync($"/api/v1/orders/{signedByClient}/escrow", new { })).OkAsync();
        var pending = waiting.GetProperty("escrow").GetProperty("pending_signature");
        var signed = (await (await rig.Provider.PostAsync($"{TrustlessControl}/sign", new { unsigned_xdr = pending.Str("unsigned_xdr"), signer_address = pending.Str("signer_address") }))
            .OkAsync()).Str("signed_xdr");
        var submitted = await rig.CrashThenRetryAsync("after:send_transaction", $"/api/v1/signatures/{pending.Str("id")}/submit", new { signed_xdr = signed });
        Assert.Equal((pending.Str("id"), "CONFIRMED"), (submitted.Str("id"), submitted.Str("status")));
        Assert.Equal("ESCROW_FUNDING", (await rig.Client.OrderAsync(signedByClient)).Str("status"));

        // Everything the buyer paid is accounted once: 30 + 25 + 15 reserved or spent, 20 and 40 back.
        Assert.Equal(("130.00", "15.00"), await rig.Client.AvailableReservedAsync(buyer));
    }

    private static async Task<string> ReservedOrderAsync(HttpClient client, string buyer, string seller, string amount, object[]? milestones = null)
    {
        var order = (await (await client.PostNewAsync("/api/v1/orders", new { buyer_id = buyer, seller_id = seller, amount, currency = "USD", milestones }))
            .OkAsync(HttpStatusCode.Created)).Str("id");
        await (await client.PostNewAsync($"/api/v1/orders/{order}/reserve", new { amount })).OkAsync();
        return order;
    }

    private static async Task<string> FundedOrderAsync(HttpClient client, string buyer, string seller, string amount, object[]? milestones = null)
    {
        var order = await ReservedOrderAsync(client, buyer, seller, amount, milestones);
        await (await client.PostNewAsync($"/api/v1/orders/{order}/escrow", new { })).OkAsync();
        Assert.Equal("IN_PROGRESS", (await (await client.PostNewAsync($"/api/v1/orders/{order}/escrow/fund", null)).OkAsync()).Str("status"));
        return order;
    }

    /// <summary>One database, a provider process (both simulators), and the orchestrator's process,
    /// restarted with a crash point armed whenever a test asks for a crash.</summary>
    private sealed class CrashRig : IAsyncDisposable
    {
        private readonly string database;
        private readonly int port;
        private readonly Dictionary<string, string> environment;
        private readonly ServerProcess provider;
        private ServerProcess orchestrator;
        private readonly string apiKey;

        private CrashRig(string database, int port, Dictionary<string, string> environment, ServerProcess provider, ServerProcess orchestrator, string apiKey)
        {
            this.database = database;
            this.port = port;
            this.environment = environment;
            this.provider = provider;
            this.orchestrator = orchestrator;
            this.apiKey = apiKey;
            Provider = provider.Client(null);
            Client = orchestrator.Client(apiKey);
        }

        public HttpClient Provider { get; }

        public HttpClient Client { get; private set; }

        public static async Task<CrashRig> StartAsync(Dialect dialect)
        {
            string database;
            if (dialect == Dialect.Postgres)
            {
                Skip.If(PostgresServer.Instance is null, "SKIPPED (no PostgreSQL): " + PostgresServer.UnavailableReason);
                database = PostgresServer.Instance!.CreateDatabase();
            }
            else
            {
                var file = Path.Combine(Path.GetTempPath(), "offerhub-tests", Guid.NewGuid().ToString("N") + ".db");
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                database = "sqlite://" + file;
            }

            var port = Ports.Free();
            var airtmSecret = WebhookSignature.NewSecret();
            var trustlessSecret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            var providerFile = Path.Combine(Path.GetTempPath(), "offerhub-tests", Guid.NewGuid().ToString("N") + ".providers.db");
            Directory.CreateDirectory(Path.GetDirectoryName(providerFile)!);
            var provider = await ServerProcess.StartAsync("sqlite://" + providerFile, new Dictionary<string, string>
            {
                ["PUBLIC_BASE_URL"] = $"http://127.0.0.1:{port}",
                ["AIRTM_WEBHOOK_SECRET"] = airtmSecret,
                ["TRUSTLESS_WEBHOOK_SECRET"] = trustlessSecret,
                // Trustless Work's 50 a minute is not under test here (TestApp lifts it too).
                ["OfferHub__Trustless__SimulatorRequestsPerMinute"] = "100000",
            });
            var environment = ProviderProcess.OrchestratorEnvironment(provider.BaseAddress, airtmSecret, trustlessSecret);
            // Nothing repairs behind the test's back: what finishes, finishes by resuming.
            environment["OfferHub__Jobs__Enabled"] = "false";
            environment["OfferHub__ProcessDeadAfterSeconds"] = "4";
            var orchestrator = await ServerProcess.StartAsync(database, environment, port);
            var key = (await (await orchestrator.Client().PostAsync("/api/v1/auth/api-keys", new { name = "crash", scopes = new[] { "read", "write", "support" } }))
                .OkAsync(HttpStatusCode.Created)).Str("api_key");
            return new CrashRig(database, port, environment, provider, orchestrator, key);
        }

        /// <summary>Sends the request on a process armed to die at <paramref name="point"/>, checks
        /// that it died there, restarts it, and retries the same key until it is no longer in
        /// progress; returns the body, which must have <paramref name="expected"/>. With
        /// <paramref name="resumesAs"/>, first waits (without retrying) for the resource to reach
        /// the state by itself.</summary>
        public async Task<JsonElement> CrashThenRetryAsync(string point, string path, object? body, HttpStatusCode expected = HttpStatusCode.OK,
            (string Path, string Status)? resumesAs = null)
        {
            await RestartAsync(new Dictionary<string, string>(environment) { [SimulatedCrash.Variable] = point });
            var key = Guid.NewGuid().ToString();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => Client.PostAsync(path, body, key));
            Assert.True(await orchestrator.ExitedAsync(TimeSpan.FromSeconds(10)), $"the process did not die at {point} for {path}");
            await RestartAsync(environment);

            if (resumesAs is var (resource, resumed))
            {
                await Eventually.UntilAsync(async () => await (await Client.GetAsync(resource)).JsonAsync(), r => r.Str("status") == resumed,
                    r => $"{resource} stayed {r.Str("status")} after the crash at {point} for {path}", timeoutMs: 30_000);
            }

            var (status, text) = await Eventually.UntilAsync(async () =>
                {
                    using var response = await Client.PostAsync(path, body, key);
                    return (response.StatusCode, await response.Content.ReadAsStringAsync());
                },
                r => !r.Item2.Contains("IDEMPOTENCY_KEY_IN_PROGRESS", StringComparison.Ordinal),
                _ => $"{path} stayed IDEMPOTENCY_KEY_IN_PROGRESS after the crash at {point}", timeoutMs: 30_000);
            Assert.True(status == expected, $"{path} after the crash at {point}: {(int)status} {text}");
            var again = await Client.PostAsync(path, body, key);
            Assert.Equal(text, await again.Content.ReadAsStringAsync());
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        private async Task RestartAsync(Dictionary<string, string> with)
        {
            await orchestrator.DisposeAsync();
            orchestrator = await ServerProcess.StartAsync(database, with, port);
            Client.Dispose();
            Client = orchestrator.Client(apiKey);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            Provider.Dispose();
            await orchestrator.DisposeAsync();
            await provider.DisposeAsync();
        }
    }
}
