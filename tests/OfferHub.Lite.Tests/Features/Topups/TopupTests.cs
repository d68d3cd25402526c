using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Topups;

/// <summary>Top-ups end to end through the real Airtm client, the simulator and its signed callbacks.</summary>
public sealed partial class TopupTests(AppFixture fixture) : BooksBalanced(fixture)
{
    private const string Control = Support.Airtm.Control;

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_payer_confirming_on_the_checkout_page_credits_the_user_once(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var client = await app.WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        var email = await client.LinkAirtmAsync(user);

        var topup = await client.CreateTopupAsync(user, "100.00");
        Assert.Equal("TOPUP_AWAITING_USER_CONFIRMATION", topup.Str("status"));
        Assert.Equal("100.00", topup.Str("amount"));

        // The payer follows confirmation_uri and submits the page's form as a browser would.
        var page = await client.GetAsync(new Uri(topup.Str("confirmation_uri")).PathAndQuery);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var action = FormAction().Match(html).Groups["action"].Value;
        Assert.Contains($"value=\"{email}\"", html, StringComparison.Ordinal);
        var redirect = await client.PostAsync(action, new FormUrlEncodedContent([new("email", email)]));
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        // marketplace.example never resolves: the simulator's own return page stands in, linking to the documented address.
        var landing = await client.GetAsync(redirect.Headers.Location!.ToString());
        var landed = await landing.Content.ReadAsStringAsync();
        Assert.Contains("Payment confirmed", landed, StringComparison.Ordinal);
        Assert.Contains($"href=\"https://marketplace.example/return?code={topup.Str("id")}\"", landed, StringComparison.Ordinal);
        Assert.DoesNotContain("<button", landed, StringComparison.Ordinal);
        // Pressing Confirm again (back button, double submit) shows the final state as a page, not raw JSON.
        var again = await client.PostAsync(action, new FormUrlEncodedContent([new("email", email)]));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("text/html", again.Content.Headers.ContentType!.MediaType);
        var second = await again.Content.ReadAsStringAsync();
        Assert.Contains("Payment confirmed", second, StringComparison.Ordinal);
        Assert.DoesNotContain("<button", second, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html + second, StringComparison.Ordinal);

        var succeeded = await client.WaitForStatusAsync($"/api/v1/topups/{topup.Str("id")}", "TOPUP_SUCCEEDED");
        Assert.Equal("1.00", succeeded.Str("airtm_fee"));
        Assert.Equal("99.00", succeeded.Str("net_amount"));
        var balance = await client.BalanceAsync(user);
        Assert.Equal(("100.00", "100.00"), (balance.Str("available"), balance.Str("total")));

        var events = await (await client.GetAsync($"/api/v1/events?resource_id={topup.Str("id")}&limit=100")).OkAsync();
        Assert.Equal(["topup.created", "topup.confirmation_required", "topup.processing", "topup.succeeded"],
            events.GetProperty("data").EnumerateArray().Select(e => e.Str("type")).ToArray());
        var audit = await (await client.GetAsync($"/api/v1/audit/logs?resource_id={topup.Str("id")}&action=WEBHOOK_RECEIVED")).OkAsync();
        Assert.NotEmpty(audit.GetProperty("data").EnumerateArray());
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task The_checkout_page_returns_the_payer_to_a_resolvable_address_with_the_payin_code(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        var email = await client.LinkAirtmAsync(user);
        var topup = await (await client.PostNewAsync("/api/v1/topups", new
        {
            user_id = user, amount = "9.00", currency = "USD", return_url = "http://localhost:3000/done?order=7", cancel_url = "http://localhost:3000/cancel",
        })).OkAsync(HttpStatusCode.Created);
        Assert.EndsWith($"/sim/airtm/payin/{topup.PayinId()}", topup.Str("confirmation_uri"), StringComparison.Ordinal);

        var redirect = await client.PostAsync($"/sim/airtm/payin/{topup.PayinId()}/confirm", new FormUrlEncodedContent([new("email", email)]));
        Assert.Equal($"http://localhost:3000/done?order=7&code={topup.Str("id")}", redirect.Headers.Location!.ToString());
        await client.WaitForStatusAsync($"/api/v1/topups/{topup.Str("id")}", "TOPUP_SUCCEEDED");
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Cancelling_on_the_checkout_page_or_through_the_api_credits_nothing(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        await client.LinkAirtmAsync(user);

        var onPage = await client.CreateTopupAsync(user, "10.00");
        var redirect = await client.PostAsync($"/sim/airtm/payin/{onPage.PayinId()}/cancel", null);
        Assert.Equal($"/sim/airtm/payin/{onPage.PayinId()}/return", redirect.Headers.Location!.ToString());
        await client.WaitForStatusAsync($"/api/v1/topups/{onPage.Str("id")}", "TOPUP_CANCELED");

        var viaApi = await client.CreateTopupAsync(user, "20.00");
        var canceled = await (await client.PostNewAsync($"/api/v1/topups/{viaApi.Str("id")}/cancel", null)).OkAsync();
        Assert.Equal("TOPUP_CANCELED", canceled.Str("status"));
        var again = await (await client.PostNewAsync($"/api/v1/topups/{viaApi.Str("id")}/cancel", null)).OkAsync();
        Assert.Equal("TOPUP_CANCELED", again.Str("status"));

        Assert.Equal("0.00", (await client.BalanceAsync(user)).Str("total"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_rejected_payin_fails_the_topup_and_a_succeeded_one_cannot_be_cancelled(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        var email = await client.LinkAirtmAsync(user);

        var rejected = await client.CreateTopupAsync(user, "10.00");
        await (await client.PostAsync($"{Control}/payins/{rejected.PayinId()}/reject", null)).OkAsync();
        var failed = await client.WaitForStatusAsync($"/api/v1/topups/{rejected.Str("id")}", "TOPUP_FAILED");
        Assert.Equal("REJECTED", failed.Str("failure_reason"));

        var paid = await client.CreateTopupAsync(user, "15.00");
        await (await client.PostAsync($"{Control}/payins/{paid.PayinId()}/confirm", new { email })).OkAsync();
        await client.WaitForStatusAsync($"/api/v1/topups/{paid.Str("id")}", "TOPUP_SUCCEEDED");
        var details = await (await client.PostNewAsync($"/api/v1/topups/{paid.Str("id")}/cancel", null)).ErrorAsync(409, "INVALID_STATE");
        Assert.Equal("TOPUP_SUCCEEDED", details.Str("current_state"));
        Assert.Equal("15.00", (await client.BalanceAsync(user)).Str("available"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Duplicated_callbacks_credit_once(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var client = await app.WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        var email = await client.LinkAirtmAsync(user);
        await (await client.PostAsync($"{Control}/callbacks", new { mode = "duplicate" })).EnsureNoContentAsync();
        try
        {
            var topup = await client.CreateTopupAsync(user, "30.00");
            await (await client.PostAsync($"{Control}/payins/{topup.PayinId()}/confirm", new { email })).OkAsync();
            await client.WaitForStatusAsync($"/api/v1/topups/{topup.Str("id")}", "TOPUP_SUCCEEDED");
            await client.CallbacksSettledAsync();
        }
        finally
        {
            await (await client.PostAsync($"{Control}/callbacks", new { mode = "normal" })).EnsureNoContentAsync();
        }

        var ledger = await (await client.GetAsync($"/api/v1/users/{user}/ledger")).OkAsync();
        Assert.Single(ledger.GetProperty("data").EnumerateArray());
        Assert.Equal("30.00", (await client.BalanceAsync(user)).Str("available"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task The_same_signed_callback_twice_is_applied_once_and_answered_as_a_duplicate(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var client = await app.WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        var email = await client.LinkAirtmAsync(user);
        await (await client.PostAsync($"{Control}/callbacks", new { mode = "drop" })).EnsureNoContentAsync();
        JsonElement payin;
        try
        {
            var topup = await client.CreateTopupAsync(user, "12.34");
            payin = await (await client.PostAsync($"{Control}/payins/{topup.PayinId()}/confirm", new { email })).OkAsync();
        }
        finally
        {
            await (await client.PostAsync($"{Control}/callbacks", new { mode = "normal" })).EnsureNoContentAsync();
        }

        var body = JsonSerializer.Serialize(new { type = "payin.confirmed", data = payin });
        var first = await (await app.SendAirtmWebhookAsync("msg_dup_" + dialect, body)).OkAsync();
        var second = await (await app.SendAirtmWebhookAsync("msg_dup_" + dialect, body)).OkAsync();

        Assert.False(first.GetProperty("duplicate").GetBoolean());
        Assert.Equal(("ok", true), (second.Str("status"), second.GetProperty("duplicate").GetBoolean()));
        Assert.Equal("12.34", (await client.BalanceAsync(user)).Str("available"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Callbacks_delivered_in_reverse_order_end_in_the_latest_state(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        var email = await client.LinkAirtmAsync(user);
        await (await client.PostAsync($"{Control}/callbacks", new { mode = "hold" })).EnsureNoContentAsync();
        string topupId;
        try
        {
            var topup = await client.CreateTopupAsync(user, "40.00");
            topupId = topup.Str("id");
            await (await client.PostAsync($"{Control}/payins/{topup.PayinId()}/confirm", new { email })).OkAsync();
        }
        finally
        {
            await (await client.PostAsync($"{Control}/callbacks", new { mode = "normal" })).EnsureNoContentAsync();
        }

        // payin.confirmed arrives first, then the older payin.created, which must change nothing.
        var released = await (await client.PostAsync($"{Control}/callbacks/release", new { order = "reverse" })).OkAsync();
        Assert.Equal(2, released.GetProperty("released").GetInt32());
        await client.CallbacksSettledAsync();

        Assert.Equal("TOPUP_SUCCEEDED", (await (await client.GetAsync($"/api/v1/topups/{topupId}")).OkAsync()).Str("status"));
        Assert.Equal("40.00", (await client.BalanceAsync(user)).Str("available"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_lost_callback_is_recovered_by_refresh(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        var email = await client.LinkAirtmAsync(user);
        var topup = await client.CreateTopupAsync(user, "25.00");
        await (await client.PostAsync($"{Control}/callbacks", new { mode = "drop" })).EnsureNoContentAsync();
        try
        {
            await (await client.PostAsync($"{Control}/payins/{topup.PayinId()}/confirm", new { email })).OkAsync();
        }
        finally
        {
            await (await client.PostAsync($"{Control}/callbacks", new { mode = "normal" })).EnsureNoContentAsync();
        }

        await client.CallbacksSettledAsync();
        Assert.Equal("TOPUP_AWAITING_USER_CONFIRMATION", (await (await client.GetAsync($"/api/v1/topups/{topup.Str("id")}")).OkAsync()).Str("status"));
        Assert.Equal("0.00", (await client.BalanceAsync(user)).Str("available"));

        var refreshed = await (await client.PostAsync($"/api/v1/topups/{topup.Str("id")}/refresh", null)).OkAsync();
        Assert.Equal("TOPUP_SUCCEEDED", refreshed.Str("status"));
        var again = await (await client.PostAsync($"/api/v1/topups/{topup.Str("id")}/refresh", null)).OkAsync();
        Assert.Equal("TOPUP_SUCCEEDED", again.Str("status"));
        Assert.Equal("25.00", (await client.BalanceAsync(user)).Str("available"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_provider_timeout_is_a_504_and_the_retry_with_the_same_key_creates_no_second_payin(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        await client.LinkAirtmAsync(user);
        var body = new { user_id = user, amount = "50.00", currency = "USD", return_url = "https://m.example/r", cancel_url = "https://m.example/c" };
        var key = Guid.NewGuid().ToString();

        // Airtm creates the pay-in, then hangs past the client's 2 s deadline: the response is lost.
        await (await client.PostAsync($"{Control}/faults", new { hang_seconds = 5, count = 1 })).EnsureNoContentAsync();
        var details = await (await client.PostAsync("/api/v1/topups", body, key)).ErrorAsync(504, "PROVIDER_TIMEOUT");
        Assert.Equal(("airtm", true), (details.Str("provider"), details.GetProperty("retry_recommended").GetBoolean()));

        var topup = await (await client.PostAsync("/api/v1/topups", body, key)).OkAsync(HttpStatusCode.Created);
        Assert.Equal("TOPUP_AWAITING_USER_CONFIRMATION", topup.Str("status"));
        var replay = await client.PostAsync("/api/v1/topups", body, key);
        Assert.Equal(topup.Str("id"), (await replay.OkAsync(HttpStatusCode.Created)).Str("id"));

        var payins = await (await client.GetAsync($"{Control}/payins?code={topup.Str("id")}")).OkAsync();
        Assert.Single(payins.EnumerateArray());
        var list = await (await client.GetAsync($"/api/v1/topups?user_id={user}")).OkAsync();
        Assert.Single(list.GetProperty("data").EnumerateArray());
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_provider_error_is_a_502_and_the_retry_succeeds(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        await client.LinkAirtmAsync(user);
        var body = new { user_id = user, amount = "5.00", currency = "USD", return_url = "https://m.example/r", cancel_url = "https://m.example/c" };
        var key = Guid.NewGuid().ToString();

        await (await client.PostAsync($"{Control}/faults", new { status = 500, count = 1 })).EnsureNoContentAsync();
        var details = await (await client.PostAsync("/api/v1/topups", body, key)).ErrorAsync(502, "PROVIDER_ERROR");
        Assert.True(details.GetProperty("retry_recommended").GetBoolean());

        var topup = await (await client.PostAsync("/api/v1/topups", body, key)).OkAsync(HttpStatusCode.Created);
        Assert.Single((await (await client.GetAsync($"{Control}/payins?code={topup.Str("id")}")).OkAsync()).EnumerateArray());
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_callback_with_a_bad_or_stale_signature_is_refused_and_changes_nothing(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var client = await app.WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        var email = await client.LinkAirtmAsync(user);
        var topup = await client.CreateTopupAsync(user, "60.00");
        await client.CallbacksSettledAsync();
        var forged = JsonSerializer.Serialize(new
        {
            type = "payin.confirmed",
            data = new
            {
                id = topup.PayinId(), code = topup.Str("id"), hash = "x", status = "CONFIRMED", amount = 60.00m, description = "d", items = Array.Empty<object>(),
                airtmUserEmail = email, createdAt = DateTimeOffset.UtcNow, updatedAt = DateTimeOffset.UtcNow.AddHours(1),
                confirmationUri = "https://m.example/r", cancelUri = "https://m.example/c",
            },
        });

        await (await app.SendAirtmWebhookAsync("msg_forged", forged, secret: "whsec_" + Convert.ToBase64String(new byte[32]))).ErrorAsync(401, "WEBHOOK_SIGNATURE_INVALID");
        await (await app.SendAirtmWebhookAsync("msg_stale", forged, at: app.Clock.GetUtcNow().AddMinutes(-6))).ErrorAsync(401, "WEBHOOK_SIGNATURE_INVALID");
        var unsigned = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks/airtm") { Content = Http.RawContent(forged, "application/json") };
        await (await app.Client().SendAsync(unsigned)).ErrorAsync(401, "WEBHOOK_SIGNATURE_INVALID");

        Assert.Equal("TOPUP_AWAITING_USER_CONFIRMATION", (await (await client.GetAsync($"/api/v1/topups/{topup.Str("id")}")).OkAsync()).Str("status"));
        Assert.Equal("0.00", (await client.BalanceAsync(user)).Str("total"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Linking_and_topup_refusals_use_the_documented_codes(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        var body = new { user_id = user, amount = "5.00", currency = "USD", return_url = "https://m.example/r", cancel_url = "https://m.example/c" };

        await (await client.PostNewAsync("/api/v1/topups", body)).ErrorAsync(422, "AIRTM_USER_NOT_LINKED");
        await (await client.PostNewAsync($"/api/v1/users/{user}/airtm/link", new { airtm_email = "inactive@sim.airtm" })).ErrorAsync(422, "AIRTM_USER_INVALID");
        await (await client.PostNewAsync($"/api/v1/users/{user}/airtm/link", new { airtm_email = "nobody@sim.airtm" })).ErrorAsync(422, "AIRTM_USER_INVALID");
        var email = await client.LinkAirtmAsync(user);
        var relinked = await (await client.PostNewAsync($"/api/v1/users/{user}/airtm/link", new { airtm_email = email })).OkAsync();
        Assert.Equal(email, relinked.Str("airtm_email"));
        var other = await client.CreateUserAsync("buyer");
        await (await client.PostNewAsync($"/api/v1/users/{other}/airtm/link", new { airtm_email = email })).ErrorAsync(409, "AIRTM_USER_ALREADY_LINKED");

        await (await client.PostNewAsync("/api/v1/topups", body with { amount = "0.99" })).ErrorAsync(422, "AMOUNT_BELOW_MINIMUM");
        await (await client.PostNewAsync("/api/v1/topups", body with { return_url = "http://evil.example/r" })).ErrorAsync(400, "VALIDATION_ERROR");
        await (await client.PostNewAsync("/api/v1/topups", body with { amount = "5" })).ErrorAsync(400, "INVALID_AMOUNT_FORMAT");
        var localhost = await client.PostNewAsync("/api/v1/topups", body with { return_url = "http://localhost:3000/done" });
        await localhost.OkAsync(HttpStatusCode.Created);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Top_ups_are_limited_to_ten_a_minute_per_user(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var client = await app.WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        await client.LinkAirtmAsync(user);
        var body = new { user_id = user, amount = "1.00", currency = "USD", return_url = "https://m.example/r", cancel_url = "https://m.example/c" };
        // Start at the beginning of a window so that the eleven requests share it.
        var now = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(now.Ticks % TimeSpan.FromMinutes(1).Ticks));

        for (var i = 0; i < 10; i++)
        {
            var ok = await client.PostNewAsync("/api/v1/topups", body);
            await ok.OkAsync(HttpStatusCode.Created);
            Assert.Equal((9 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), ok.Headers.GetValues("X-RateLimit-Remaining").Single());
        }

        var limited = await client.PostNewAsync("/api/v1/topups", body);
        var details = await limited.ErrorAsync(429, "RATE_LIMITED");
        Assert.Equal(10, details.GetProperty("limit").GetInt32());
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await client.PostNewAsync("/api/v1/topups", body)).OkAsync(HttpStatusCode.Created);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task The_airtm_client_reads_airtms_paginated_pay_in_list(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var client = await app.WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        await client.LinkAirtmAsync(user);
        var topup = await client.CreateTopupAsync(user, "7.00");

        await using var scope = app.Services.CreateAsyncScope();
        var page = await scope.ServiceProvider.GetRequiredService<OfferHub.Lite.Infrastructure.Providers.Airtm.AirtmClient>().ListPayinsAsync(null, null, CancellationToken.None);

        var payin = Assert.Single(page.Items, p => p.Code == topup.Str("id"));
        Assert.Equal((7.00m, "CREATED"), (payin.Amount, payin.Status));
    }

    [GeneratedRegex("<form id=\"confirm\" method=\"post\" action=\"(?<action>[^\"]+)\"")]
    private static partial Regex FormAction();
}
