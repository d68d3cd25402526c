using System.Net;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Operations;

/// <summary>A provider that does the work and then answers too late (the simulators' hang fault:
/// the call takes effect, then hangs past our 2 s deadline). The first attempt answers 504; by the
/// time the client retries with the same key, the provider's callback has already moved the
/// resource on. The retry must answer the outcome (the 2xx body the first attempt would have got),
/// never run as a new request against the moved-on state, and the money must have moved once.</summary>
public sealed class ProviderTimeoutTests(AppFixture fixture) : BooksBalanced(fixture)
{
    private const string AirtmControl = Support.Airtm.Control;
    private const string TrustlessControl = Support.Escrow.Control;

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_commit_that_timed_out_and_completed_by_webhook_answers_the_withdrawal_on_retry(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var seller = await client.CreateUserAsync("seller");
        await client.TopUpAsync(seller, "50.00");
        var email = (await (await client.GetAsync($"/api/v1/users/{seller}")).OkAsync()).Str("airtm_email");
        var created = await (await client.PostNewAsync("/api/v1/withdrawals", new { user_id = seller, amount = "30.00", currency = "USD" })).OkAsync(HttpStatusCode.Created);
        var id = created.Str("id");
        var key = Guid.NewGuid().ToString();

        await (await client.PostAsync($"{AirtmControl}/faults", new { hang_seconds = 5, count = 1 })).EnsureNoContentAsync();
        await (await client.PostAsync($"/api/v1/withdrawals/{id}/commit", new { confirm = true }, key)).ErrorAsync(504, "PROVIDER_TIMEOUT");
        // Airtm committed and paid out; its webhooks say so before the client retries.
        await client.WaitForStatusAsync($"/api/v1/withdrawals/{id}", "WITHDRAWAL_COMPLETED");

        var retried = await client.PostAsync($"/api/v1/withdrawals/{id}/commit", new { confirm = true }, key);
        var text = await retried.Content.ReadAsStringAsync();
        Assert.True(retried.StatusCode == HttpStatusCode.OK, $"the retry answered {(int)retried.StatusCode} {text}");
        var committed = await (await client.PostAsync($"/api/v1/withdrawals/{id}/commit", new { confirm = true }, key)).OkAsync();
        Assert.Equal((id, "WITHDRAWAL_COMPLETED"), (committed.Str("id"), committed.Str("status")));

        var balance = await client.BalanceAsync(seller);
        Assert.Equal(("20.00", "0.00"), (balance.Str("available"), balance.Str("pending_withdrawal")));
        Assert.Single((await (await client.GetAsync($"{AirtmControl}/payouts?email={Uri.EscapeDataString(email)}")).OkAsync()).EnumerateArray());
        var ledger = await (await client.GetAsync($"/api/v1/users/{seller}/ledger?limit=100")).OkAsync();
        Assert.Single(ledger.GetProperty("data").EnumerateArray(), e => e.Str("reason") == "withdrawal" && e.Str("account") == "pending_withdrawal" && e.Str("amount").StartsWith('-'));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_top_up_whose_creation_timed_out_and_the_payer_confirmed_answers_the_top_up_on_retry(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var buyer = await client.CreateUserAsync("buyer");
        var email = await client.LinkAirtmAsync(buyer);
        var body = new { user_id = buyer, amount = "40.00", currency = "USD", return_url = "https://m.example/r", cancel_url = "https://m.example/c" };
        var key = Guid.NewGuid().ToString();

        await (await client.PostAsync($"{AirtmControl}/faults", new { hang_seconds = 5, count = 1 })).EnsureNoContentAsync();
        await (await client.PostAsync("/api/v1/topups", body, key)).ErrorAsync(504, "PROVIDER_TIMEOUT");
        // The pay-in exists at Airtm (our top-up id is its code); the payer confirms it and the
        // webhook credits the top-up before the client retries.
        var topupId = Assert.Single((await (await client.GetAsync($"/api/v1/topups?user_id={buyer}")).OkAsync()).GetProperty("data").EnumerateArray()).Str("id");
        var payin = Assert.Single((await (await client.GetAsync($"{AirtmControl}/payins?code={topupId}")).OkAsync()).EnumerateArray());
        await (await client.PostAsync($"{AirtmControl}/payins/{payin.Str("id")}/confirm", new { email })).OkAsync();
        await client.WaitForStatusAsync($"/api/v1/topups/{topupId}", "TOPUP_SUCCEEDED");

        var retried = await (await client.PostAsync("/api/v1/topups", body, key)).OkAsync(HttpStatusCode.Created);
        Assert.Equal((topupId, "TOPUP_SUCCEEDED"), (retried.Str("id"), retried.Str("status")));
        Assert.Equal(topupId, (await (await client.PostAsync("/api/v1/topups", body, key)).OkAsync(HttpStatusCode.Created)).Str("id"));

        Assert.Equal("40.00", (await client.BalanceAsync(buyer)).Str("available"));
        Assert.Single((await (await client.GetAsync($"{AirtmControl}/payins?code={topupId}")).OkAsync()).EnumerateArray());
        Assert.Single((await (await client.GetAsync($"/api/v1/topups?user_id={buyer}")).OkAsync()).GetProperty("data").EnumerateArray());
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_funding_that_timed_out_and_was_confirmed_by_notification_answers_the_funded_order_on_retry(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var parties = await client.ReservedOrderAsync("50.00", "35.00");
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/escrow", new { })).OkAsync();
        var key = Guid.NewGuid().ToString();

        await (await client.PostAsync($"{TrustlessControl}/notifications", new { mode = "normal" })).EnsureNoContentAsync();
        try
        {
            // Fund = prepare, then send: the send is applied on the network and then hangs; the
            // notification of the confirmed transaction funds the order before the client retries.
            await (await client.PostAsync($"{TrustlessControl}/faults", new { count = 1 })).EnsureNoContentAsync();
            await (await client.PostAsync($"{TrustlessControl}/faults", new { hang_seconds = 5, count = 1 })).EnsureNoContentAsync();
            await (await client.PostAsync($"/api/v1/orders/{parties.Order}/escrow/fund", null, key)).ErrorAsync(504, "PROVIDER_TIMEOUT");
            await client.WaitForStatusAsync($"/api/v1/orders/{parties.Order}", "IN_PROGRESS");
        }
        finally
        {
            await (await client.PostAsync($"{TrustlessControl}/notifications", new { mode = "off" })).EnsureNoContentAsync();
        }

        var retried = await (await client.PostAsync($"/api/v1/orders/{parties.Order}/escrow/fund", null, key)).OkAsync();
        Assert.Equal("IN_PROGRESS", retried.Str("status"));
        Assert.Equal("35.00", retried.GetProperty("escrow").Str("funded_amount"));

        Assert.Equal(("15.00", "0.00"), await client.AvailableReservedAsync(parties.Buyer));
        var contract = await (await client.GetAsync($"{TrustlessControl}/contracts/{retried.GetProperty("escrow").Str("trustless_contract_id")}")).OkAsync();
        Assert.Equal(35.00m, contract.GetProperty("balance").GetDecimal());
    }
}
