using System.Net;
using System.Text.Json;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Withdrawals;

/// <summary>Withdrawals end to end: the hold at creation, the payout at the simulator, and every
/// way it can end, with the balances exact at each step.</summary>
public sealed class WithdrawalTests(AppFixture fixture) : BooksBalanced(fixture)
{
    private const string Control = Support.Airtm.Control;

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_committed_withdrawal_completes_and_the_money_leaves(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var seller = await FundedUserAsync(client, "100.00");

        var created = await CreateAsync(client, seller, "80.00");
        Assert.Equal("WITHDRAWAL_CREATED", created.Str("status"));
        Assert.False(string.IsNullOrEmpty(created.GetProperty("provider_ref").Str("airtm_payout_id")));
        await AssertBalanceAsync(client, seller, available: "20.00", pending: "80.00");

        var committed = await (await client.PostNewAsync($"/api/v1/withdrawals/{created.Str("id")}/commit", new { confirm = true })).OkAsync();
        Assert.Equal("WITHDRAWAL_COMPLETED", committed.Str("status"));
        await AssertBalanceAsync(client, seller, available: "20.00", pending: "0.00");

        var details = await (await client.PostNewAsync($"/api/v1/withdrawals/{created.Str("id")}/commit", new { confirm = true })).ErrorAsync(409, "WITHDRAWAL_NOT_COMMITTABLE");
        Assert.Equal("WITHDRAWAL_COMPLETED", details.Str("current_status"));
        var events = await (await client.GetAsync($"/api/v1/events?resource_id={created.Str("id")}&limit=100")).OkAsync();
        Assert.Equal(["withdrawal.created", "withdrawal.committed", "withdrawal.pending", "withdrawal.completed"],
            events.GetProperty("data").EnumerateArray().Select(e => e.Str("type")).ToArray());
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_failed_payout_returns_the_money(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var seller = await FundedUserAsync(client, "50.00");
        var created = await CreateAsync(client, seller, "50.00");
        await SetOutcomeAsync(client, "pending");
        try
        {
            var pending = await (await client.PostNewAsync($"/api/v1/withdrawals/{created.Str("id")}/commit", new { confirm = true })).OkAsync();
            Assert.Equal("WITHDRAWAL_PENDING", pending.Str("status"));
        }
        finally
        {
            await SetOutcomeAsync(client, "completed");
        }

        await (await client.PostAsync($"{Control}/payouts/{created.GetProperty("provider_ref").Str("airtm_payout_id")}/status", new { status = "FAILED", reason_code = "ACCOUNT_CLOSED" })).OkAsync();
        var failed = await client.WaitForStatusAsync($"/api/v1/withdrawals/{created.Str("id")}", "WITHDRAWAL_FAILED");
        Assert.Equal("ACCOUNT_CLOSED", failed.Str("reason_code"));
        await AssertBalanceAsync(client, seller, available: "50.00", pending: "0.00");
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_payout_needing_user_action_completes_once_the_user_acts(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var seller = await FundedUserAsync(client, "30.00");
        var created = await CreateAsync(client, seller, "30.00");
        var payoutId = created.GetProperty("provider_ref").Str("airtm_payout_id");
        await SetOutcomeAsync(client, "pending_user_action");
        try
        {
            var waiting = await (await client.PostNewAsync($"/api/v1/withdrawals/{created.Str("id")}/commit", new { confirm = true })).OkAsync();
            Assert.Equal("WITHDRAWAL_PENDING_USER_ACTION", waiting.Str("status"));
        }
        finally
        {
            await SetOutcomeAsync(client, "completed");
        }

        await AssertBalanceAsync(client, seller, available: "0.00", pending: "30.00");
        // Airtm announces no callback for the user's progress; refresh reads it.
        await (await client.PostAsync($"{Control}/payouts/{payoutId}/status", new { status = "PENDING" })).OkAsync();
        var resumed = await (await client.PostAsync($"/api/v1/withdrawals/{created.Str("id")}/refresh", null)).OkAsync();
        Assert.Equal("WITHDRAWAL_PENDING", resumed.Str("status"));

        await (await client.PostAsync($"{Control}/payouts/{payoutId}/status", new { status = "COMPLETED" })).OkAsync();
        await client.WaitForStatusAsync($"/api/v1/withdrawals/{created.Str("id")}", "WITHDRAWAL_COMPLETED");
        await AssertBalanceAsync(client, seller, available: "0.00", pending: "0.00");
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_withdrawal_cancelled_before_commit_returns_the_money_and_cannot_be_committed(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var seller = await FundedUserAsync(client, "40.00");
        var created = await CreateAsync(client, seller, "15.00");

        var canceled = await (await client.PostNewAsync($"/api/v1/withdrawals/{created.Str("id")}/cancel", null)).OkAsync();
        Assert.Equal("WITHDRAWAL_CANCELED", canceled.Str("status"));
        await AssertBalanceAsync(client, seller, available: "40.00", pending: "0.00");
        Assert.Equal("WITHDRAWAL_CANCELED", (await (await client.PostNewAsync($"/api/v1/withdrawals/{created.Str("id")}/cancel", null)).OkAsync()).Str("status"));
        await (await client.PostNewAsync($"/api/v1/withdrawals/{created.Str("id")}/commit", new { confirm = true })).ErrorAsync(409, "WITHDRAWAL_NOT_COMMITTABLE");

        var completed = await CreateAsync(client, seller, "5.00", commit: true);
        Assert.Equal("WITHDRAWAL_COMPLETED", completed.Str("status"));
        var details = await (await client.PostNewAsync($"/api/v1/withdrawals/{completed.Str("id")}/cancel", null)).ErrorAsync(409, "INVALID_STATE");
        Assert.Equal("WITHDRAWAL_COMPLETED", details.Str("current_state"));
        await AssertBalanceAsync(client, seller, available: "35.00", pending: "0.00");
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Duplicated_and_reordered_payout_callbacks_move_money_once(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var seller = await FundedUserAsync(client, "70.00");
        await (await client.PostAsync($"{Control}/callbacks", new { mode = "hold" })).EnsureNoContentAsync();
        string id;
        try
        {
            id = (await CreateAsync(client, seller, "70.00", commit: true)).Str("id");
        }
        finally
        {
            await (await client.PostAsync($"{Control}/callbacks", new { mode = "duplicate" })).EnsureNoContentAsync();
        }

        try
        {
            await (await client.PostAsync($"{Control}/callbacks/release", new { order = "reverse" })).OkAsync();
            await client.CallbacksSettledAsync();
        }
        finally
        {
            await (await client.PostAsync($"{Control}/callbacks", new { mode = "normal" })).EnsureNoContentAsync();
        }

        Assert.Equal("WITHDRAWAL_COMPLETED", (await (await client.GetAsync($"/api/v1/withdrawals/{id}")).OkAsync()).Str("status"));
        await AssertBalanceAsync(client, seller, available: "0.00", pending: "0.00");
        var ledger = await (await client.GetAsync($"/api/v1/users/{seller}/ledger?limit=100")).OkAsync();
        Assert.Single(ledger.GetProperty("data").EnumerateArray(), e => e.Str("reason") == "withdrawal" && e.Str("account") == "pending_withdrawal" && e.Str("amount").StartsWith('-'));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_timeout_creating_the_payout_is_resumed_by_the_retry_without_a_second_hold_or_payout(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var seller = await FundedUserAsync(client, "20.00");
        var body = new { user_id = seller, amount = "20.00", currency = "USD" };
        var key = Guid.NewGuid().ToString();

        await (await client.PostAsync($"{Control}/faults", new { hang_seconds = 5, count = 1 })).EnsureNoContentAsync();
        await (await client.PostAsync("/api/v1/withdrawals", body, key)).ErrorAsync(504, "PROVIDER_TIMEOUT");
        await AssertBalanceAsync(client, seller, available: "0.00", pending: "20.00");

        var created = await (await client.PostAsync("/api/v1/withdrawals", body, key)).OkAsync(HttpStatusCode.Created);
        Assert.Equal("WITHDRAWAL_CREATED", created.Str("status"));
        await AssertBalanceAsync(client, seller, available: "0.00", pending: "20.00");
        var list = await (await client.GetAsync($"/api/v1/withdrawals?user_id={seller}")).OkAsync();
        Assert.Single(list.GetProperty("data").EnumerateArray());
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Refusals_use_the_documented_codes_and_move_nothing(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var seller = await FundedUserAsync(client, "10.00");
        var unlinked = await client.CreateUserAsync("seller");

        var insufficient = await (await client.PostNewAsync("/api/v1/withdrawals", new { user_id = seller, amount = "10.01", currency = "USD" })).ErrorAsync(422, "INSUFFICIENT_FUNDS");
        Assert.Equal("10.00", insufficient.Str("available"));
        await (await client.PostNewAsync("/api/v1/withdrawals", new { user_id = seller, amount = "4.99", currency = "USD" })).ErrorAsync(422, "AMOUNT_BELOW_MINIMUM");
        await (await client.PostNewAsync("/api/v1/withdrawals", new { user_id = unlinked, amount = "5.00", currency = "USD" })).ErrorAsync(422, "AIRTM_USER_NOT_LINKED");
        await (await client.PostNewAsync("/api/v1/withdrawals", new { user_id = seller, amount = "5.00", currency = "USD", destination = new { type = "bank" } })).ErrorAsync(422, "WITHDRAWAL_DESTINATION_INVALID");
        await (await client.PostNewAsync("/api/v1/withdrawals", new { user_id = seller, amount = "5.00", currency = "USD", destination = new { type = "airtm", @ref = "someone@else.example" } })).ErrorAsync(422, "WITHDRAWAL_DESTINATION_INVALID");
        await (await client.PostNewAsync("/api/v1/withdrawals/wd_00000000000000000000000000/commit", new { confirm = true })).ErrorAsync(404, "WITHDRAWAL_NOT_FOUND");

        await AssertBalanceAsync(client, seller, available: "10.00", pending: "0.00");
        Assert.Empty((await (await client.GetAsync($"/api/v1/withdrawals?user_id={seller}")).OkAsync()).GetProperty("data").EnumerateArray());
    }

    private static async Task<string> FundedUserAsync(HttpClient client, string amount)
    {
        var user = await client.CreateUserAsync("seller");
        await client.TopUpAsync(user, amount);
        return user;
    }

    private static async Task<JsonElement> CreateAsync(HttpClient client, string userId, string amount, bool commit = false) =>
        await (await client.PostNewAsync("/api/v1/withdrawals", new { user_id = userId, amount, currency = "USD", commit })).OkAsync(HttpStatusCode.Created);

    private static async Task SetOutcomeAsync(HttpClient client, string outcome) =>
        await (await client.PostAsync($"{Control}/payouts/outcome", new { outcome })).EnsureNoContentAsync();

    private static async Task AssertBalanceAsync(HttpClient client, string userId, string available, string pending)
    {
        var balance = await client.BalanceAsync(userId);
        Assert.Equal((available, pending), (balance.Str("available"), balance.Str("pending_withdrawal")));
    }
}
