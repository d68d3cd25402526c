using System.Net;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.OperatorConsole;

/// <summary>The operators' console through HTTP: its actions are the API's commands with the API's
/// idempotency and audit rows, its sessions are cookies that end, and bad input is a page with a 4xx.</summary>
public sealed class ConsoleTests(AppFixture fixture) : BooksBalanced(fixture)
{
    private static async Task<(TestApp App, string SupportKey, string SupportKeyId, OfferHub.Lite.Tests.Support.Escrow.Parties Parties, string DisputeId)> DisputedOrderAsync(TestApp app)
    {
        var client = await app.WriterAsync();
        var parties = await client.FundedOrderAsync("100.00", "100.00");
        var disputeId = (await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/disputes", new { opened_by = "buyer", reason = "half delivered" }))
            .OkAsync(HttpStatusCode.Created)).Str("dispute_id");
        var created = await (await app.Master().PostAsync("/api/v1/auth/api-keys", new { name = "support-ana", scopes = new[] { "support" } })).OkAsync(HttpStatusCode.Created);
        return (app, created.Str("api_key"), created.Str("id"), parties, disputeId);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_support_agent_resolves_a_dispute_by_split_with_the_same_idempotency_and_audit_rows_as_the_API(Dialect dialect)
    {
        var (app, supportKey, supportKeyId, parties, disputeId) = await DisputedOrderAsync(Fixture.Get(dialect));
        var console = await ConsoleClient.SignedInAsync(app, supportKey);
        var page = $"/console/disputes/{disputeId}";

        var (formToken, assignKey) = await console.TokensAsync(page);
        var assign = new Dictionary<string, string> { ["form_token"] = formToken, ["idempotency_key"] = assignKey!, ["agent_id"] = "ana" };
        Assert.Equal(HttpStatusCode.SeeOther, (await console.PostFormAsync(page, $"{page}/assign", new(assign))).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await console.PostFormAsync(page, $"{page}/assign", new(assign))).StatusCode);

        var (_, resolveKey) = await console.TokensAsync(page);
        var resolved = await console.PostFormAsync(page, $"{page}/resolve", new()
        {
            ["idempotency_key"] = resolveKey!, ["decision"] = "SPLIT", ["amount_to_seller"] = "60.00", ["amount_to_buyer"] = "40.00", ["note"] = "half delivered",
        });
        Assert.Equal(HttpStatusCode.SeeOther, resolved.StatusCode);
        Assert.Equal($"{page}?done=resolved", resolved.Headers.Location?.ToString());

        var client = app.Master();
        Assert.Equal(("60.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));
        Assert.Equal(("40.00", "0.00"), await client.AvailableReservedAsync(parties.Buyer));
        var html = await (await console.Http.GetAsync($"{page}?done=resolved")).Content.ReadAsStringAsync();
        Assert.Contains("The decision is recorded", html, StringComparison.Ordinal);
        Assert.Contains("SPLIT", html, StringComparison.Ordinal);

        await using var db = await app.OpenDbAsync();
        var audits = await db.QueryAsync<(string Action, string ActorType, string ActorId, string Result, string IdempotencyKey)>(
            "SELECT action, actor_type, actor_id, result, idempotency_key FROM audit_logs WHERE resource_id = @disputeId AND action LIKE 'DISPUTE_%' ORDER BY occurred_at, id", new { disputeId }, CancellationToken.None);
        Assert.Equal(
            [("DISPUTE_ASSIGN", "support", supportKeyId, "SUCCESS", assignKey!), ("DISPUTE_RESOLVE", "support", supportKeyId, "SUCCESS", resolveKey!)],
            audits.Select(a => (a.Action, a.ActorType, a.ActorId, a.Result, a.IdempotencyKey)).ToList());
        var keys = await db.QueryAsync<(string Owner, string IdemKey, long ResponseStatus)>(
            "SELECT owner, idem_key, response_status FROM idempotency_keys WHERE idem_key IN @keys ORDER BY created_at", new { keys = new[] { assignKey!, resolveKey! } }, CancellationToken.None);
        Assert.Equal([(supportKeyId, assignKey!, 200L), (supportKeyId, resolveKey!, 200L)], keys.Select(k => (k.Owner, k.IdemKey, k.ResponseStatus)).ToList());
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Bad_input_to_console_forms_is_an_in_page_error_with_a_4xx_never_a_500(Dialect dialect)
    {
        var (app, supportKey, _, _, disputeId) = await DisputedOrderAsync(Fixture.Get(dialect));
        var support = await ConsoleClient.SignedInAsync(app, supportKey);
        var admin = await ConsoleClient.SignedInAsync(app, TestApp.MasterKey);
        var page = $"/console/disputes/{disputeId}";

        async Task<HttpResponseMessage> Resolve(Dictionary<string, string> fields)
        {
            var (_, key) = await support.TokensAsync(page);
            fields["idempotency_key"] = key!;
            return await support.PostFormAsync(page, $"{page}/resolve", fields);
        }

        await ConsoleClient.AssertInPageErrorAsync(await Resolve(new() { ["decision"] = "SPLIT", ["amount_to_seller"] = "sixty", ["amount_to_buyer"] = "40.00" }), 400, "amount");
        await ConsoleClient.AssertInPageErrorAsync(await Resolve(new() { ["decision"] = "SPLIT", ["amount_to_seller"] = "60.00", ["amount_to_buyer"] = "30.00" }), 422, "add up");
        await ConsoleClient.AssertInPageErrorAsync(await Resolve(new() { ["decision"] = "SPLIT", ["amount_to_seller"] = "60.00" }), 400, "amount_to_buyer");
        await ConsoleClient.AssertInPageErrorAsync(await Resolve(new() { ["decision"] = "HALF" }), 400, "decision");
        await ConsoleClient.AssertInPageErrorAsync(await support.PostFormAsync(page, $"{page}/resolve", new() { ["decision"] = "FULL_RELEASE" }), 400, "idempotency_key");
        await ConsoleClient.AssertInPageErrorAsync(await support.PostFormAsync(page, $"{page}/comment", new() { ["message"] = "" }), 400, "message");
        await ConsoleClient.AssertInPageErrorAsync(await support.PostFormAsync(page, "/console/disputes/dsp_nope/comment", new() { ["message"] = "hello" }), 404, "dsp_nope");
        await ConsoleClient.AssertInPageErrorAsync(await support.Http.GetAsync("/console/disputes?status=LOST"), 400, "status");
        await ConsoleClient.AssertInPageErrorAsync(await support.Http.GetAsync("/console/lookup?q="), 400, "enter something");
        await ConsoleClient.AssertInPageErrorAsync(await support.Http.GetAsync("/console/users/usr_nope"), 404, "usr_nope");
        await ConsoleClient.AssertInPageErrorAsync(await support.Http.PostAsync($"{page}/comment", Http.RawContent("{\"message\":\"hi\"}", "application/json")), 415, "form");

        await ConsoleClient.AssertInPageErrorAsync(await admin.PostFormAsync("/console/admin/keys", "/console/admin/keys", new() { ["name"] = "" }), 400, "scopes");
        await ConsoleClient.AssertInPageErrorAsync(await admin.PostFormAsync("/console/admin/keys", "/console/admin/keys/key_nope/revoke", []), 404, "key_nope");
        await ConsoleClient.AssertInPageErrorAsync(
            await admin.PostFormAsync("/console/admin/webhooks", "/console/admin/webhooks", new() { ["url"] = "ftp://x", ["types"] = "*" }), 400, "url");
        await ConsoleClient.AssertInPageErrorAsync(
            await admin.PostFormAsync("/console/admin/maintenance", "/console/admin/maintenance", new() { ["enabled"] = "perhaps" }), 400, "enabled");
        await ConsoleClient.AssertInPageErrorAsync(
            await admin.PostFormAsync("/console/admin/operations", "/console/admin/operations/dead-letters/jdl_nope/retry", []), 404, "jdl_nope");
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Forged_forms_support_keys_on_admin_pages_and_ended_sessions_are_refused(Dialect dialect)
    {
        var (app, supportKey, supportKeyId, _, disputeId) = await DisputedOrderAsync(Fixture.Get(dialect));
        var support = await ConsoleClient.SignedInAsync(app, supportKey);
        var page = $"/console/disputes/{disputeId}";

        await ConsoleClient.AssertInPageErrorAsync(await support.PostFormAsync(page, $"{page}/comment", new() { ["form_token"] = "forged", ["message"] = "hi" }), 403, "did not come from your console");
        await ConsoleClient.AssertInPageErrorAsync(await support.Http.PostAsync($"{page}/comment", new FormUrlEncodedContent(new Dictionary<string, string> { ["message"] = "hi" })), 403, "did not come from your console");
        Assert.Equal(0, (await (await app.Master().GetAsync($"/api/v1/disputes/{disputeId}")).OkAsync()).GetProperty("comments_count").GetInt32());

        await ConsoleClient.AssertInPageErrorAsync(await support.Http.GetAsync("/console/admin/keys"), 403, "Master key needed");
        await ConsoleClient.AssertInPageErrorAsync(await support.PostFormAsync(page, "/console/admin/maintenance", new() { ["enabled"] = "on" }), 403, "Master key needed");
        await using (var db = await app.OpenDbAsync())
        {
            Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM instance_settings WHERE key = 'maintenance'", null, CancellationToken.None));
        }

        var (formToken, _) = await support.TokensAsync(page);
        Assert.Equal(HttpStatusCode.SeeOther, (await support.Http.PostAsync("/console/sign-out", new FormUrlEncodedContent(new Dictionary<string, string> { ["form_token"] = formToken }))).StatusCode);
        var after = await support.Http.GetAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/console/sign-in", after.Headers.Location?.ToString(), StringComparison.Ordinal);

        var again = await ConsoleClient.SignedInAsync(app, supportKey);
        Assert.Equal(HttpStatusCode.OK, (await again.Http.GetAsync(page)).StatusCode);
        await (await app.Master().DeleteAsync($"/api/v1/auth/api-keys/{supportKeyId}")).OkAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await again.Http.GetAsync(page)).StatusCode);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Sign_in_sets_a_strict_http_only_cookie_explains_wrong_keys_and_is_rate_limited(Dialect dialect)
    {
        await using var app = new TestApp(dialect, Fixture.NewDatabaseUrl(dialect), new Dictionary<string, string?> { ["OfferHub:Console:SignInAttemptsPerMinute"] = "3" });
        var writeOnly = await app.CreateKeyAsync("read", "write");
        var console = new ConsoleClient(app.Client());

        await ConsoleClient.AssertInPageErrorAsync(await console.SignInAsync("ohk_test_not_a_real_key"), 401, "That key is not valid");
        await ConsoleClient.AssertInPageErrorAsync(await console.SignInAsync(writeOnly), 403, "no support scope");
        var signedIn = await console.SignInAsync(TestApp.MasterKey);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("offerhub_console=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/console", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestApp.MasterKey, await (await console.Http.GetAsync("/console")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var limited = await ConsoleClient.AssertInPageErrorAsync(await console.SignInAsync("ohk_test_still_wrong"), 429, "Too many sign-in attempts");
        Assert.Contains("Wait", limited, StringComparison.Ordinal);
    }
}
