using System.Net;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Orders;

/// <summary>The money core's proofs under concurrency, on both databases.</summary>
public sealed class ConcurrencyTests(AppFixture fixture) : BooksBalanced(fixture)
{
    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Fifty_concurrent_reserves_against_two_hundred_let_exactly_twenty_through(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var buyer = await client.CreateUserAsync("buyer");
        var seller = await client.CreateUserAsync("seller");
        await client.TopUpAsync(buyer, "200.00");
        var orders = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            orders.Add(await client.CreateOrderAsync(buyer, seller, "10.00"));
        }

        var responses = await Task.WhenAll(orders.Select(o => client.PostNewAsync($"/api/v1/orders/{o}/reserve", new { amount = "10.00" })));

        var succeeded = 0;
        foreach (var response in responses)
        {
            if (response.StatusCode == HttpStatusCode.OK)
            {
                succeeded++;
            }
            else
            {
                await response.ErrorAsync(422, "INSUFFICIENT_FUNDS");
            }
        }

        Assert.Equal(20, succeeded);
        var balance = await client.BalanceAsync(buyer);
        Assert.Equal(("0.00", "200.00", "200.00"), (balance.Str("available"), balance.Str("reserved"), balance.Str("total")));
        var reserved = await (await client.GetAsync($"/api/v1/orders?buyer_id={buyer}&status=FUNDS_RESERVED&limit=100")).OkAsync();
        Assert.Equal(20, reserved.GetProperty("data").GetArrayLength());

        // The thirty refused reserves wrote their events before the ledger refused them, inside
        // groups on SQLite: the numbers they took went with their rollback, so the committed
        // events are numbered 1..N without a gap (on PostgreSQL once the sequencer has run).
        await using var db = await Fixture.Get(dialect).OpenDbAsync();
        await Eventually.UntilAsync(
            () => db.QuerySingleAsync<Numbering>("SELECT COUNT(*) AS events, COUNT(seq) AS numbered, COALESCE(MAX(seq), 0) AS highest FROM events", null, CancellationToken.None),
            n => n.Events == n.Numbered && n.Numbered == n.Highest,
            n => $"{n.Events} events, {n.Numbered} numbered, highest number {n.Highest}");
    }

    private sealed record Numbering(long Events, long Numbered, long Highest);

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Twenty_concurrent_reserves_of_one_order_with_different_keys_debit_once(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var buyer = await client.CreateUserAsync("buyer");
        await client.TopUpAsync(buyer, "100.00");
        var order = await client.CreateOrderAsync(buyer, await client.CreateUserAsync("seller"), "40.00");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.PostNewAsync($"/api/v1/orders/{order}/reserve", new { amount = "40.00" })));

        foreach (var response in responses)
        {
            Assert.Equal("FUNDS_RESERVED", (await response.OkAsync()).Str("status"));
        }

        var balance = await client.BalanceAsync(buyer);
        Assert.Equal(("60.00", "40.00"), (balance.Str("available"), balance.Str("reserved")));
        var ledger = await (await client.GetAsync($"/api/v1/users/{buyer}/ledger?limit=100")).OkAsync();
        Assert.Equal(2, ledger.GetProperty("data").EnumerateArray().Count(e => e.Str("reference_id") == order));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Reserve_and_cancel_racing_leave_the_balance_exact_either_way(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var buyer = await client.CreateUserAsync("buyer");
        var seller = await client.CreateUserAsync("seller");
        await client.TopUpAsync(buyer, "300.00");
        var orders = new List<string>();
        for (var i = 0; i < 15; i++)
        {
            orders.Add(await client.CreateOrderAsync(buyer, seller, "20.00"));
        }

        var race = orders.SelectMany(o => new[]
        {
            client.PostNewAsync($"/api/v1/orders/{o}/reserve", new { amount = "20.00" }),
            client.PostNewAsync($"/api/v1/orders/{o}/cancel", null),
        });
        foreach (var response in await Task.WhenAll(race))
        {
            // Either order of arrival is legal: a reserve that comes second meets a closed order.
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await response.ErrorAsync(409, "INVALID_STATE");
            }
        }

        // Cancel wins either way (before or after the reserve), so every reservation came back.
        foreach (var order in orders)
        {
            var read = await (await client.GetAsync($"/api/v1/orders/{order}")).OkAsync();
            Assert.Equal(("CLOSED", "CANCELED"), (read.Str("status"), read.Str("resolution")));
        }

        var balance = await client.BalanceAsync(buyer);
        Assert.Equal(("300.00", "0.00"), (balance.Str("available"), balance.Str("reserved")));
    }
}
