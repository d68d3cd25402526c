using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OfferHub.Lite.Features.Operations.CheckLedger;
using OfferHub.Lite.Features.Operations.ExpireStale;
using OfferHub.Lite.Features.Operations.Reconcile;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Operations;

/// <summary>The jobs' slices, sent the way the jobs send them: reconciliation completes what lost
/// its callbacks, expiry returns held money, the ledger proof finds a corrupted balance.</summary>
public sealed class JobsTests(AppFixture fixture) : BooksBalanced(fixture)
{
    private const string AirtmControl = Support.Airtm.Control;

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Reconciliation_alone_completes_top_ups_withdrawals_and_escrow_steps_whose_confirmations_were_lost(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var client = await app.WriterAsync();
        var buyer = await client.CreateUserAsync("buyer");
        var email = await client.LinkAirtmAsync(buyer);
        var parties = await client.FundedOrderAsync("50.00", "50.00");
        await client.TopUpAsync(buyer, "30.00");
        var withdrawal = (await (await client.PostNewAsync("/api/v1/withdrawals", new { user_id = buyer, amount = "30.00", currency = "USD" })).OkAsync(HttpStatusCode.Created)).Str("id");
        var payout = (await (await client.GetAsync($"/api/v1/withdrawals/{withdrawal}")).OkAsync()).GetProperty("provider_ref").Str("airtm_payout_id");
        await (await client.PostAsync($"{AirtmControl}/payouts/outcome", new { outcome = "pending" })).EnsureNoContentAsync();
        await (await client.PostNewAsync($"/api/v1/withdrawals/{withdrawal}/commit", new { confirm = true })).OkAsync();
        await (await client.PostAsync($"{AirtmControl}/payouts/outcome", new { outcome = "completed" })).EnsureNoContentAsync();

        // From here on every callback and notification is lost.
        await (await client.PostAsync($"{AirtmControl}/callbacks", new { mode = "drop" })).EnsureNoContentAsync();
        await (await client.PostAsync($"{Support.Escrow.Control}/notifications", new { mode = "drop" })).EnsureNoContentAsync();
        string topup;
        try
        {
            topup = (await client.CreateTopupAsync(buyer, "20.00")).Str("id");
            await (await client.PostAsync($"{AirtmControl}/payins/{(await (await client.GetAsync($"/api/v1/topups/{topup}")).OkAsync()).PayinId()}/confirm", new { email })).OkAsync();
            await (await client.PostAsync($"{AirtmControl}/payouts/{payout}/status", new { status = "COMPLETED" })).OkAsync();
            // The release is applied on the network, but its answer times out (milestone status and
            // approve prepared and sent, the release prepared, then its send hangs).
            await (await client.PostAsync($"{Support.Escrow.Control}/faults", new { count = 5 })).EnsureNoContentAsync();
            await (await client.PostAsync($"{Support.Escrow.Control}/faults", new { hang_seconds = 5, count = 1 })).EnsureNoContentAsync();
            await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "FULL" })).ErrorAsync(504, "PROVIDER_TIMEOUT");

            Assert.Equal("TOPUP_AWAITING_USER_CONFIRMATION", (await (await client.GetAsync($"/api/v1/topups/{topup}")).OkAsync()).Str("status"));
            Assert.Equal("WITHDRAWAL_PENDING", (await (await client.GetAsync($"/api/v1/withdrawals/{withdrawal}")).OkAsync()).Str("status"));
            Assert.Equal("RELEASE_REQUESTED", (await client.OrderAsync(parties.Order)).Str("status"));

            app.Clock.Advance(TimeSpan.FromMinutes(6));
            var report = await SendAsync(app, new Reconcile.Command(Fix: true));

            Assert.Contains(report.Stuck, i => i.Kind == "topup" && i.Id == topup && i.After == "TOPUP_SUCCEEDED");
            Assert.Contains(report.Stuck, i => i.Kind == "withdrawal" && i.Id == withdrawal && i.After == "WITHDRAWAL_COMPLETED");
            Assert.Contains(report.Stuck, i => i.Kind == "escrow_operation" && i.After == "DONE");
            Assert.True(report.LedgerBalanced);
        }
        finally
        {
            await (await client.PostAsync($"{AirtmControl}/callbacks", new { mode = "normal" })).EnsureNoContentAsync();
            await (await client.PostAsync($"{Support.Escrow.Control}/notifications", new { mode = "off" })).EnsureNoContentAsync();
        }

        Assert.Equal("CLOSED", (await client.OrderAsync(parties.Order)).Str("status"));
        Assert.Equal(("50.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));
        var balance = await client.BalanceAsync(buyer);
        Assert.Equal(("20.00", "0.00"), (balance.Str("available"), balance.Str("pending_withdrawal")));
        var again = await SendAsync(app, new Reconcile.Command(Fix: true));
        Assert.DoesNotContain(again.Stuck, i => i.Id == topup || i.Id == withdrawal);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Expiry_cancels_unconfirmed_top_ups_and_returns_the_money_of_uncommitted_withdrawals(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var client = await app.WriterAsync();
        var user = await client.CreateUserAsync("seller");
        await client.TopUpAsync(user, "40.00");
        var topup = (await client.CreateTopupAsync(user, "10.00")).Str("id");
        var withdrawal = (await (await client.PostNewAsync("/api/v1/withdrawals", new { user_id = user, amount = "25.00", currency = "USD" })).OkAsync(HttpStatusCode.Created)).Str("id");
        Assert.Equal("15.00", (await client.BalanceAsync(user)).Str("available"));

        app.Clock.Advance(TimeSpan.FromMinutes(61));
        var firstHour = await SendAsync(app, new ExpireStale.Command());
        Assert.Contains(firstHour.Expired, i => i.Id == topup && i.After == "TOPUP_CANCELED");
        Assert.DoesNotContain(firstHour.Expired, i => i.Id == withdrawal);

        app.Clock.Advance(TimeSpan.FromHours(24));
        var nextDay = await SendAsync(app, new ExpireStale.Command());
        Assert.Contains(nextDay.Expired, i => i.Id == withdrawal && i.After == "WITHDRAWAL_CANCELED");
        var balance = await client.BalanceAsync(user);
        Assert.Equal(("40.00", "0.00"), (balance.Str("available"), balance.Str("pending_withdrawal")));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task The_ledger_proof_finds_a_corrupted_balance_row_and_health_shows_it(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var client = await app.WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        await client.TopUpAsync(user, "10.00");
        Assert.True((await SendAsync(app, new CheckLedger.Command())).Balanced);
        Assert.Equal("ok", (await (await app.Client().GetAsync("/api/v1/health")).OkAsync()).GetProperty("checks").Str("ledger"));

        await using var db = await app.OpenDbAsync();
        var account = $"user:{user}:available";
        await db.ExecuteAsync("UPDATE ledger_accounts SET balance = balance + 1 WHERE account = @account", new { account }, CancellationToken.None);
        try
        {
            var check = await SendAsync(app, new CheckLedger.Command());
            Assert.False(check.Balanced);
            Assert.Equal((account, 1001L, 1000L), (check.Mismatches[0].Account, check.Mismatches[0].Balance, check.Mismatches[0].EntriesTotal));
            var health = await (await app.Client().GetAsync("/api/v1/health")).OkAsync();
            Assert.Equal(("degraded", "mismatch"), (health.Str("status"), health.GetProperty("checks").Str("ledger")));
            Assert.Contains(app.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains(account, StringComparison.Ordinal));
            // Detected, never corrected behind anyone's back.
            Assert.Equal(1001L, await db.ExecuteScalarAsync<long>("SELECT balance FROM ledger_accounts WHERE account = @account", new { account }, CancellationToken.None));
        }
        finally
        {
            await db.ExecuteAsync("UPDATE ledger_accounts SET balance = balance - 1 WHERE account = @account", new { account }, CancellationToken.None);
            await SendAsync(app, new CheckLedger.Command());
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Idempotency_keys_past_their_retention_are_deleted_and_the_key_is_new_again(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var client = await app.WriterAsync();
        var key = Guid.NewGuid().ToString();
        var first = await (await client.PostAsync("/api/v1/users", new { external_user_id = "idem-" + key, type = "buyer" }, key)).OkAsync(HttpStatusCode.Created);
        var other = new { external_user_id = "idem-other-" + key, type = "buyer" };
        await (await client.PostAsync("/api/v1/users", other, key)).ErrorAsync(409, "IDEMPOTENCY_KEY_REUSED");

        // Within its 7-day window the key survives a cleanup.
        await SendAsync(app, new OfferHub.Lite.Features.Operations.CleanupIdempotencyKeys.CleanupIdempotencyKeys.Command());
        await (await client.PostAsync("/api/v1/users", other, key)).ErrorAsync(409, "IDEMPOTENCY_KEY_REUSED");

        app.Clock.Advance(TimeSpan.FromDays(8));
        Assert.True(await SendAsync(app, new OfferHub.Lite.Features.Operations.CleanupIdempotencyKeys.CleanupIdempotencyKeys.Command()) >= 1);

        var reused = await (await client.PostAsync("/api/v1/users", other, key)).OkAsync(HttpStatusCode.Created);
        Assert.NotEqual(first.Str("id"), reused.Str("id"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Events_past_retention_are_pruned_unless_a_delivery_still_waits_for_them(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var client = await app.WriterAsync();
        var url = $"https://backend.example/retention/{Guid.NewGuid():N}";
        app.Receiver.Script(url, HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError);
        await (await app.Master().PostAsync("/api/v1/webhook-endpoints", new { url, types = new[] { "user.created" } })).OkAsync(HttpStatusCode.Created);
        var old = await client.CreateUserAsync("buyer");
        await app.Receiver.WaitForAsync(url, 1);

        // A month on, the old event's delivery still waits for a retry (the second try fails too).
        app.Clock.Advance(TimeSpan.FromDays(31));
        await app.Receiver.WaitForAsync(url, 2);
        var recent = await client.CreateUserAsync("buyer");
        await SendAsync(app, new OfferHub.Lite.Features.Operations.PruneEvents.PruneEvents.Command());
        Assert.Single((await (await client.GetAsync($"/api/v1/events?resource_id={old}")).OkAsync()).GetProperty("data").EnumerateArray());

        // Once delivered, it goes.
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        await app.Receiver.WaitForAsync(url, 3);
        await using (var db = await app.OpenDbAsync())
        {
            await Eventually.UntilAsync(
                () => db.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM webhook_deliveries d JOIN events e ON e.id = d.event_id WHERE e.resource_id = @old AND d.status = 'PENDING'",
                    new { old }, CancellationToken.None),
                pending => pending == 0, _ => "the delivery did not complete");
        }

        var deleted = await SendAsync(app, new OfferHub.Lite.Features.Operations.PruneEvents.PruneEvents.Command());
        Assert.True(deleted >= 1);
        Assert.Empty((await (await client.GetAsync($"/api/v1/events?resource_id={old}")).OkAsync()).GetProperty("data").EnumerateArray());
        Assert.Single((await (await client.GetAsync($"/api/v1/events?resource_id={recent}")).OkAsync()).GetProperty("data").EnumerateArray());
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task The_newest_event_outlives_retention_so_numbers_never_start_again(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var client = await app.WriterAsync();
        // No endpoint may hold these events back with a pending delivery (another test registers one).
        foreach (var endpoint in (await (await app.Master().GetAsync("/api/v1/webhook-endpoints")).OkAsync()).GetProperty("data").EnumerateArray())
        {
            await (await app.Master().DeleteAsync($"/api/v1/webhook-endpoints/{endpoint.Str("id")}")).OkAsync();
        }

        var last = await client.CreateUserAsync("buyer");
        await using var db = await app.OpenDbAsync();
        var lastSeq = await NumberOfAsync(db, last);

        app.Clock.Advance(TimeSpan.FromDays(31));
        await SendAsync(app, new OfferHub.Lite.Features.Operations.PruneEvents.PruneEvents.Command());
        Assert.Single((await (await client.GetAsync($"/api/v1/events?resource_id={last}")).OkAsync()).GetProperty("data").EnumerateArray());

        var next = await client.CreateUserAsync("buyer");
        Assert.Equal(lastSeq + 1, await NumberOfAsync(db, next));
        await SendAsync(app, new OfferHub.Lite.Features.Operations.PruneEvents.PruneEvents.Command());
        Assert.Empty((await (await client.GetAsync($"/api/v1/events?resource_id={last}")).OkAsync()).GetProperty("data").EnumerateArray());
    }

    /// <summary>The delivery number of a user's user.created event, once the sequencer has given it one.</summary>
    private static Task<long> NumberOfAsync(Db db, string userId) =>
        Eventually.UntilAsync(
            () => db.ExecuteScalarAsync<long>("SELECT COALESCE(seq, 0) FROM events WHERE resource_id = @userId AND type = 'user.created'", new { userId }, CancellationToken.None),
            seq => seq > 0, _ => $"the event of {userId} was not numbered");

    private static async Task<T> SendAsync<T>(TestApp app, Mediator.ICommand<T> command)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(command);
    }
}
