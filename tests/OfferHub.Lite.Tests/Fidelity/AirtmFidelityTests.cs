using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OfferHub.Lite.Infrastructure.Ledger;
using OfferHub.Lite.Infrastructure.Providers.Airtm;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Fidelity;

/// <summary>Fidelity to Airtm's OpenAPI document, checked mechanically: every request the Airtm
/// client sends, every answer the simulator gives and every callback it posts is validated against
/// the document's schemas (JsonSchema.Net), and the simulator's refusals carry the document's
/// reason codes.</summary>
public sealed class AirtmFidelityTests(AppFixture fixture) : BooksBalanced(fixture)
{
    private const string Control = Support.Airtm.Control;
    private const string Api = "/sim/airtm/v2";

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Every_request_our_client_sends_and_every_answer_and_callback_of_the_simulator_match_airtms_document(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var client = await app.WriterAsync();
        var buyer = await client.CreateUserAsync("buyer");
        await client.LinkAirtmAsync(buyer);

        // Pay-ins: confirmed on the page, cancelled through the API, rejected, refreshed, recovered after a timeout.
        await client.TopUpAsync(buyer, "100.00");
        var canceled = await client.CreateTopupAsync(buyer, "10.00");
        await (await client.PostNewAsync($"/api/v1/topups/{canceled.Str("id")}/cancel", null)).OkAsync();
        var rejected = await client.CreateTopupAsync(buyer, "11.00");
        await (await client.PostAsync($"{Control}/payins/{rejected.PayinId()}/reject", null)).OkAsync();
        await client.WaitForStatusAsync($"/api/v1/topups/{rejected.Str("id")}", "TOPUP_FAILED");
        var open = await client.CreateTopupAsync(buyer, "12.00");
        await (await client.PostAsync($"/api/v1/topups/{open.Str("id")}/refresh", null)).OkAsync();
        await (await client.PostAsync($"{Control}/faults", new { hang_seconds = 3, count = 1 })).EnsureNoContentAsync();
        var body = new { user_id = buyer, amount = "13.00", currency = "USD", return_url = "https://m.example/r", cancel_url = "https://m.example/c" };
        var key = Guid.NewGuid().ToString();
        await (await client.PostAsync("/api/v1/topups", body, key)).ErrorAsync(504, "PROVIDER_TIMEOUT");
        await (await client.PostAsync("/api/v1/topups", body, key)).OkAsync(HttpStatusCode.Created);

        // Payouts: committed, committed at creation, cancelled before commit, failed, held PENDING then cancelled by Airtm.
        var completed = await CreateWithdrawalAsync(client, buyer, "20.00");
        await (await client.PostNewAsync($"/api/v1/withdrawals/{completed.Str("id")}/commit", new { confirm = true })).OkAsync();
        await CreateWithdrawalAsync(client, buyer, "5.00", commit: true);
        var dropped = await CreateWithdrawalAsync(client, buyer, "6.00");
        await (await client.PostNewAsync($"/api/v1/withdrawals/{dropped.Str("id")}/cancel", null)).OkAsync();
        await (await client.PostAsync($"{Control}/payouts/outcome", new { outcome = "pending" })).EnsureNoContentAsync();
        try
        {
            var failing = await CreateWithdrawalAsync(client, buyer, "7.00");
            await (await client.PostNewAsync($"/api/v1/withdrawals/{failing.Str("id")}/commit", new { confirm = true })).OkAsync();
            await (await client.PostAsync($"{Control}/payouts/{failing.GetProperty("provider_ref").Str("airtm_payout_id")}/status", new { status = "FAILED", reason_code = "415073" })).OkAsync();
            var held = await CreateWithdrawalAsync(client, buyer, "8.00");
            await (await client.PostNewAsync($"/api/v1/withdrawals/{held.Str("id")}/commit", new { confirm = true })).OkAsync();
            await (await client.PostAsync($"{Control}/payouts/{held.GetProperty("provider_ref").Str("airtm_payout_id")}/status", new { status = "CANCELED" })).OkAsync();
            await client.WaitForStatusAsync($"/api/v1/withdrawals/{held.Str("id")}", "WITHDRAWAL_CANCELED");
        }
        finally
        {
            await (await client.PostAsync($"{Control}/payouts/outcome", new { outcome = "completed" })).EnsureNoContentAsync();
        }

        // Reads the slices do not make on this path: lists with their cursors, /me.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var airtm = scope.ServiceProvider.GetRequiredService<AirtmClient>();
            var first = await airtm.ListPayinsAsync(null, 10, CancellationToken.None);
            await airtm.ListPayinsAsync(first.EndCursor, 10, CancellationToken.None);
            await airtm.ListPayoutsAsync(null, null, CancellationToken.None);
            Assert.Equal("ok", await airtm.CheckAsync(CancellationToken.None));
        }

        await (await client.GetAsync("/health")).Content.ReadAsStringAsync();
        await client.CallbacksSettledAsync();

        var exercised = AssertTrafficMatchesDocument(app);
        Assert.Superset(new HashSet<string>
        {
            "GetUserByEmail", "CreatePayin", "GetPayinById", "GetPayinByCode", "ListPayins", "CancelPayin",
            "CreatePayout", "CommitPayout", "GetPayout", "GetPayoutByCode", "CancelPayout", "ListPayouts", "GetMe",
        }, exercised.Operations);
        Assert.Superset(new HashSet<string> { "payin.created", "payin.confirmed", "payin.failed", "payin.canceled", "payout.created", "payout.completed", "payout.failed", "payout.canceled" },
            exercised.Webhooks);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task The_simulator_refuses_what_airtm_refuses_with_its_reason_codes(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var http = app.Client();
        var sim = new Sim(http);
        var code = "fidelity_" + Guid.NewGuid().ToString("N");
        var payin = new
        {
            code, amount = 10.5m, description = "Fidelity", items = new[] { new { description = "Item", amount = 10.5m, quantity = 1 } },
            confirmationUri = "https://m.example/ok", cancelUri = "https://m.example/cancel",
        };

        await sim.ExpectAsync(HttpMethod.Get, "/me", null, 401, "415904", authorized: false);
        await sim.ExpectAsync(HttpMethod.Post, "/payins", "{not json", 400, "415901");
        await sim.ExpectAsync(HttpMethod.Post, "/payins", new { code, amount = 1m, description = "x", items = new[] { new { description = "i", amount = 1m, quantity = 1 } }, confirmationUri = "https://m.example/ok", cancelUri = "https://m.example/c", extra = 1 }, 400, "415901");
        await sim.ExpectAsync(HttpMethod.Post, "/payins", new { code, amount = 1m, description = "x", confirmationUri = "https://m.example/ok", cancelUri = "https://m.example/c" }, 400, "415901");
        await sim.ExpectAsync(HttpMethod.Post, "/payins", payin with { description = new string('d', 251) }, 400, "415906");
        await sim.ExpectAsync(HttpMethod.Post, "/payins", payin with { amount = 10.49m }, 400, "415906");
        await sim.ExpectAsync(HttpMethod.Post, "/payins", payin with { confirmationUri = "not a url" }, 400, "415906");

        var created = await sim.ExpectAsync(HttpMethod.Post, "/payins", payin with { description = new string('d', 250) }, 200);
        Assert.Equal(("CREATED", 0.10m, 10.40m), (created.Str("status"), created.GetProperty("airtmFee").GetDecimal(), created.GetProperty("netAmount").GetDecimal()));
        var item = Assert.Single(created.GetProperty("items").EnumerateArray());
        Assert.Equal(created.Str("id"), item.Str("payinId"));
        await sim.ExpectAsync(HttpMethod.Post, "/payins", payin, 409, "415029");
        await sim.ExpectAsync(HttpMethod.Get, $"/payins/by-code/{code}", null, 200);
        await sim.ExpectAsync(HttpMethod.Get, $"/payins/{Guid.NewGuid()}", null, 404, "415031");
        await sim.ExpectAsync(HttpMethod.Get, "/payins?perPage=5", null, 400, "415906");
        await sim.ExpectAsync(HttpMethod.Get, "/payins?status=NOPE", null, 400, "415906");
        await sim.ExpectAsync(HttpMethod.Delete, $"/payins/{created.Str("id")}", null, 200);
        await sim.ExpectAsync(HttpMethod.Delete, $"/payins/{created.Str("id")}", null, 409, "415030");

        await sim.ExpectAsync(HttpMethod.Get, "/users/nobody%40sim.airtm", null, 404, "415902");
        var payout = new { airtmUserEmail = "seller@sim.airtm", amount = 10m, notes = "Fidelity", code = "fid_" + Guid.NewGuid().ToString("N") };
        await sim.ExpectAsync(HttpMethod.Post, "/payouts", new { airtmUserEmail = "seller@sim.airtm", amount = 10m }, 400, "415901");
        await sim.ExpectAsync(HttpMethod.Post, "/payouts", payout with { notes = new string('n', 256) }, 400, "415906");
        await sim.ExpectAsync(HttpMethod.Post, "/payouts", payout with { airtmUserEmail = "not-an-email" }, 400, "415906");
        await sim.ExpectAsync(HttpMethod.Post, "/payouts", payout with { airtmUserEmail = "inactive@sim.airtm" }, 422, "415009");
        var made = await sim.ExpectAsync(HttpMethod.Post, "/payouts", payout, 200);
        Assert.Equal((10m, 10m, 9.90m, 0.10m), (made.GetProperty("grossAmount").GetDecimal(), made.GetProperty("amount").GetDecimal(), made.GetProperty("netAmount").GetDecimal(), made.GetProperty("airtmFee").GetDecimal()));
        await sim.ExpectAsync(HttpMethod.Post, "/payouts", payout, 409, "415056");
        await sim.ExpectAsync(HttpMethod.Post, $"/payouts/{made.Str("id")}/commit", null, 204);
        await sim.ExpectAsync(HttpMethod.Post, $"/payouts/{made.Str("id")}/commit", null, 409, "415027");
        await sim.ExpectAsync(HttpMethod.Delete, $"/payouts/{made.Str("id")}", null, 409, "415055");
        await sim.ExpectAsync(HttpMethod.Get, $"/payouts/{Guid.NewGuid()}", null, 404, "415005");
        var huge = await sim.ExpectAsync(HttpMethod.Post, "/payouts", payout with { code = "fid_" + Guid.NewGuid().ToString("N"), amount = 99_999_999m }, 200);
        await sim.ExpectAsync(HttpMethod.Post, $"/payouts/{huge.Str("id")}/commit", null, 422, "415016");

        // An e-mail with no Airtm account: accepted, held PENDING after commit, cancellable, and delivered once the account exists.
        var newcomer = $"new-{Guid.NewGuid():N}@sim.airtm";
        var waiting = await sim.ExpectAsync(HttpMethod.Post, "/payouts", new { airtmUserEmail = newcomer, amount = 10m, notes = "Fidelity", code = "fid_" + Guid.NewGuid().ToString("N"), commit = true }, 200);
        Assert.Equal("PENDING", waiting.Str("status"));
        Assert.Equal("CANCELED", (await sim.ExpectAsync(HttpMethod.Delete, $"/payouts/{waiting.Str("id")}", null, 200)).Str("status"));
        var delivered = await sim.ExpectAsync(HttpMethod.Post, "/payouts", new { airtmUserEmail = newcomer, amount = 10m, notes = "Fidelity", code = "fid_" + Guid.NewGuid().ToString("N"), commit = true }, 200);
        await (await http.PostAsync($"{Control}/users", new { email = newcomer })).OkAsync();
        Assert.Equal("COMPLETED", (await sim.ExpectAsync(HttpMethod.Get, $"/payouts/{delivered.Str("id")}", null, 200)).Str("status"));

        // Pagination with after/perPage walks the list without overlap.
        for (var i = 0; i < 11; i++)
        {
            await sim.ExpectAsync(HttpMethod.Post, "/payins", payin with { code = $"{code}_{i}" }, 200);
        }

        var page = await sim.ExpectAsync(HttpMethod.Get, "/payins?perPage=10", null, 200);
        var next = await sim.ExpectAsync(HttpMethod.Get, $"/payins?perPage=10&after={page.Str("endCursor")}", null, 200);
        var firstIds = page.GetProperty("items").EnumerateArray().Select(p => p.Str("id")).ToList();
        Assert.Equal(10, firstIds.Count);
        Assert.DoesNotContain(next.GetProperty("items").EnumerateArray().Select(p => p.Str("id")), firstIds.Contains);
        await app.Client().CallbacksSettledAsync();
        AssertTrafficMatchesDocument(app);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_lost_create_is_recovered_from_airtms_duplicate_code_answer(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        // Warms the path to the simulator (GET /me) so that the first create meets no cold start.
        await (await app.Client().GetAsync("/health")).Content.ReadAsStringAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var airtm = scope.ServiceProvider.GetRequiredService<AirtmClient>();
        var code = "dup_" + Guid.NewGuid().ToString("N");
        var request = new CreatePayinRequest(code, 3m, "Dup", [new CreatePayinItem("Dup", 3m, 1)], "https://m.example/ok", "https://m.example/c");

        var first = await airtm.CreatePayinAsync(request, CancellationToken.None);
        var again = await airtm.CreatePayinAsync(request, CancellationToken.None);
        Assert.Equal(first.Id, again.Id);

        var payout = new CreatePayoutRequest("seller@sim.airtm", 4m, "Dup", code);
        var made = await airtm.CreatePayoutAsync(payout, CancellationToken.None);
        Assert.Equal(made.Id, (await airtm.CreatePayoutAsync(payout, CancellationToken.None)).Id);
        Assert.Contains(app.AirtmTraffic.Calls, c => c.Status == 409 && c.ResponseBody.Contains("415029", StringComparison.Ordinal));
        Assert.Contains(app.AirtmTraffic.Calls, c => c.Status == 409 && c.ResponseBody.Contains("415056", StringComparison.Ordinal));
        await airtm.CancelPayoutAsync(made.Id, CancellationToken.None);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Airtm_fees_land_in_the_fee_account_and_the_enterprise_balance_reconciles_to_the_cent(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var client = await app.WriterAsync();
        var before = await PlacesAsync(app, client);

        var seller = await client.CreateUserAsync("seller");
        await client.TopUpAsync(seller, "100.00");
        var withdrawal = await CreateWithdrawalAsync(client, seller, "80.00", commit: true);
        Assert.Equal("WITHDRAWAL_COMPLETED", withdrawal.Str("status"));
        await client.CallbacksSettledAsync();
        var after = await PlacesAsync(app, client);

        // Pay-in 100.00: Airtm keeps 1.00 (the operator pays it), the enterprise gets 99.00.
        // Payout 80.00: the enterprise pays 80.00, Airtm withholds 0.80, the recipient gets 79.20.
        Assert.Equal(180, after.Fees - before.Fees);
        Assert.Equal(-100, after.Platform - before.Platform);
        Assert.Equal(7_920, after.Payouts - before.Payouts);
        Assert.Equal(-10_000, after.Payins - before.Payins);
        Assert.Equal(1_900, after.Enterprise - before.Enterprise);
        // What the ledger says the enterprise account holds moved exactly as Airtm's balance did.
        Assert.Equal(after.Enterprise - before.Enterprise, -(after.Payins - before.Payins) - (after.Payouts - before.Payouts) - (after.Fees - before.Fees));
        Assert.Equal(("20.00", "20.00"), ((await client.BalanceAsync(seller)).Str("available"), (await client.BalanceAsync(seller)).Str("total")));
    }

    private sealed record Places(long Payins, long Payouts, long Fees, long Platform, long Enterprise);

    private static async Task<Places> PlacesAsync(TestApp app, HttpClient client)
    {
        await using var db = await app.OpenDbAsync();
        async Task<long> BalanceOf(string account) =>
            await db.QuerySingleOrDefaultAsync<long?>("SELECT balance FROM ledger_accounts WHERE account = @account", new { account }, CancellationToken.None) ?? 0;
        var enterprise = (await (await client.GetAsync($"{Control}/operator-balance")).OkAsync()).GetProperty("amount").GetDecimal();
        return new Places(await BalanceOf(Accounts.AirtmPayins), await BalanceOf(Accounts.AirtmPayouts), await BalanceOf(Accounts.AirtmFees), await BalanceOf(Accounts.PlatformFunds),
            AirtmMoney.ToCents(enterprise));
    }

    private static async Task<JsonElement> CreateWithdrawalAsync(HttpClient client, string userId, string amount, bool commit = false) =>
        await (await client.PostNewAsync("/api/v1/withdrawals", new { user_id = userId, amount, currency = "USD", commit })).OkAsync(HttpStatusCode.Created);

    private sealed record Exercised(HashSet<string> Operations, HashSet<string> Webhooks);

    /// <summary>Checks every recorded exchange with Airtm and every callback against the document.</summary>
    private static Exercised AssertTrafficMatchesDocument(TestApp app)
    {
        var document = AirtmOpenApi.Document;
        var violations = new List<string>();
        var operations = new HashSet<string>();
        foreach (var call in app.AirtmTraffic.Calls)
        {
            Assert.StartsWith(Api + "/", call.Path, StringComparison.Ordinal);
            violations.AddRange(Check(document, call.Method, call.Path[Api.Length..], call.RequestBody, call.Status, call.ResponseBody, operations));
        }

        var webhooks = new HashSet<string>();
        foreach (var callback in app.AirtmTraffic.Callbacks)
        {
            violations.AddRange(document.CheckWebhook(callback.RequestBody!));
            webhooks.Add(JsonDocument.Parse(callback.RequestBody!).RootElement.Str("type"));
        }

        Assert.True(violations.Count == 0, $"{violations.Count} differences from Airtm's OpenAPI {document.Version}:\n" + string.Join('\n', violations.Distinct().Take(40)));
        return new Exercised(operations, webhooks);
    }

    private static List<string> Check(AirtmOpenApi document, string method, string path, string? requestBody, int status, string responseBody, HashSet<string>? operations = null)
    {
        var template = document.TemplateOf(method, path.Split('?')[0]);
        if (template is null)
        {
            return [$"{method} {path} is not an operation of the document"];
        }

        operations?.Add(document.OperationId(method, template));
        var found = new List<string>();
        if (!string.IsNullOrEmpty(requestBody))
        {
            found.AddRange(document.CheckRequest(method, template, requestBody));
        }

        found.AddRange(document.CheckResponse(method, template, status, responseBody));
        return found;
    }

    /// <summary>Direct calls to the simulated API, each answer checked against the document.</summary>
    private sealed class Sim(HttpClient http)
    {
        private static readonly AuthenticationHeaderValue Credentials = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("sim_enterprise_key:sim_enterprise_secret")));

        public async Task<JsonElement> ExpectAsync(HttpMethod method, string path, object? body, int status, string? reasonCode = null, bool authorized = true)
        {
            var text = body switch
            {
                null => null,
                string raw => raw,
                _ => JsonSerializer.Serialize(body, AirtmJson.Options),
            };
            using var request = new HttpRequestMessage(method, Api + path);
            if (text is not null)
            {
                request.Content = new StringContent(text, Encoding.UTF8, "application/json");
            }

            if (authorized)
            {
                request.Headers.Authorization = Credentials;
            }

            using var response = await http.SendAsync(request);
            var answer = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == status, $"{method} {path}: expected {status}, got {(int)response.StatusCode} {answer}");
            var violations = Check(AirtmOpenApi.Document, method.Method, path, null, status, answer).ToList();
            Assert.True(violations.Count == 0, string.Join('\n', violations));
            if (answer.Length == 0)
            {
                return default;
            }

            var json = JsonDocument.Parse(answer).RootElement.Clone();
            if (reasonCode is not null)
            {
                Assert.Equal(reasonCode, json.Str("code"));
            }

            return json;
        }
    }
}
