using System.Net;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Orders;

public sealed class OrdersTests(AppFixture fixture) : BooksBalanced(fixture)
{
    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task An_order_with_milestones_is_created_and_read_back(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var buyer = await client.CreateUserAsync("buyer");
        var seller = await client.CreateUserAsync("seller");
        var reference = "ref-" + Guid.NewGuid().ToString("N");
        var created = await (await client.PostNewAsync("/api/v1/orders", new
        {
            buyer_id = buyer, seller_id = seller, amount = "150.00", currency = "USD", client_order_ref = reference, title = "Logo",
            milestones = new[] { new { milestone_ref = "m1", title = "Draft", amount = "50.00" }, new { milestone_ref = "m2", title = "Final", amount = "100.00" } },
        })).OkAsync(HttpStatusCode.Created);

        Assert.Matches("^ord_[0-9a-z]{26}$", created.Str("id"));
        Assert.Equal("ORDER_CREATED", created.Str("status"));
        Assert.Equal("150.00", created.Str("amount"));
        Assert.Equal("0.00", created.Str("released_amount"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, created.GetProperty("escrow").ValueKind);
        Assert.Equal(["m1", "m2"], created.GetProperty("milestones").EnumerateArray().Select(m => m.Str("milestone_ref")));
        Assert.Equal("OPEN", created.GetProperty("milestones")[1].Str("status"));

        var read = await (await client.GetAsync($"/api/v1/orders/{created.Str("id")}")).OkAsync();
        Assert.Equal(created.GetRawText(), read.GetRawText());

        var duplicate = await (await client.PostNewAsync("/api/v1/orders", new { buyer_id = buyer, seller_id = seller, amount = "1.00", currency = "USD", client_order_ref = reference }))
            .ErrorAsync(409, "ORDER_ALREADY_EXISTS");
        Assert.Equal(created.Str("id"), duplicate.Str("order_id"));
    }

    public static TheoryData<Dialect, string, int, string> InvalidOrders()
    {
        var data = new TheoryData<Dialect, string, int, string>();
        foreach (var dialect in new[] { Dialect.Sqlite, Dialect.Postgres })
        {
            data.Add(dialect, "same-user", 400, "VALIDATION_ERROR");
            data.Add(dialect, "amount-as-number", 400, "INVALID_AMOUNT_FORMAT");
            data.Add(dialect, "amount-without-decimals", 400, "INVALID_AMOUNT_FORMAT");
            data.Add(dialect, "amount-zero", 400, "INVALID_AMOUNT_FORMAT");
            data.Add(dialect, "currency", 400, "INVALID_CURRENCY");
            data.Add(dialect, "milestones-do-not-add-up", 400, "VALIDATION_ERROR");
            data.Add(dialect, "above-maximum", 422, "AMOUNT_ABOVE_MAXIMUM");
            data.Add(dialect, "unknown-buyer", 404, "USER_NOT_FOUND");
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(InvalidOrders))]
    public async Task Invalid_orders_are_refused(Dialect dialect, string variant, int status, string code)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var buyer = await client.CreateUserAsync("buyer");
        var seller = await client.CreateUserAsync("seller");
        object body = variant switch
        {
            "same-user" => new { buyer_id = buyer, seller_id = buyer, amount = "10.00", currency = "USD" },
            "amount-as-number" => new { buyer_id = buyer, seller_id = seller, amount = 10, currency = "USD" },
            "amount-without-decimals" => new { buyer_id = buyer, seller_id = seller, amount = "10", currency = "USD" },
            "amount-zero" => new { buyer_id = buyer, seller_id = seller, amount = "0.00", currency = "USD" },
            "currency" => new { buyer_id = buyer, seller_id = seller, amount = "10.00", currency = "EUR" },
            "milestones-do-not-add-up" => new { buyer_id = buyer, seller_id = seller, amount = "10.00", currency = "USD", milestones = new[] { new { milestone_ref = "a", amount = "4.00" } } },
            "above-maximum" => new { buyer_id = buyer, seller_id = seller, amount = "10000.01", currency = "USD" },
            "unknown-buyer" => new { buyer_id = "usr_01aaaaaaaaaaaaaaaaaaaaaaaa", seller_id = seller, amount = "10.00", currency = "USD" },
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };
        await (await client.PostNewAsync("/api/v1/orders", body)).ErrorAsync(status, code);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Reserve_moves_the_amount_once_and_repeats_answer_the_current_state(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var buyer = await client.CreateUserAsync("buyer");
        var seller = await client.CreateUserAsync("seller");
        await client.TopUpAsync(buyer, "100.00");
        var order = await client.CreateOrderAsync(buyer, seller, "80.00");

        var reserved = await (await client.PostNewAsync($"/api/v1/orders/{order}/reserve", new { amount = "80.00" })).OkAsync();
        Assert.Equal("FUNDS_RESERVED", reserved.Str("status"));
        Assert.Equal("80.00", reserved.Str("reserved_amount"));
        Assert.Equal("20.00", reserved.GetProperty("balance_snapshot").Str("available"));
        Assert.Equal("80.00", reserved.GetProperty("balance_snapshot").Str("reserved"));

        var again = await (await client.PostNewAsync($"/api/v1/orders/{order}/reserve", new { amount = "80.00" })).OkAsync();
        Assert.Equal(reserved.GetRawText(), again.GetRawText());

        var balance = await client.BalanceAsync(buyer);
        Assert.Equal(("20.00", "80.00", "0.00", "100.00"), (balance.Str("available"), balance.Str("reserved"), balance.Str("pending_withdrawal"), balance.Str("total")));

        var ledger = await (await client.GetAsync($"/api/v1/users/{buyer}/ledger")).OkAsync();
        var entries = ledger.GetProperty("data").EnumerateArray().Select(e => (e.Str("account"), e.Str("amount"), e.Str("balance_after"), e.Str("reason"))).ToList();
        Assert.Equal([("reserved", "80.00", "80.00", "order_reserve"), ("available", "-80.00", "20.00", "order_reserve"), ("available", "100.00", "100.00", "topup")], entries);

        var events = await (await client.GetAsync($"/api/v1/events?user_id={buyer}&types=order.funds_reserved,balance.reserved,order.state_changed")).OkAsync();
        Assert.Equal(["order.state_changed", "order.funds_reserved", "balance.reserved"], events.GetProperty("data").EnumerateArray().Select(e => e.Str("type")));
        var history = await (await client.GetAsync($"/api/v1/orders/{order}/history")).OkAsync();
        Assert.Equal(["ORDER_CREATED", "FUNDS_RESERVED"], history.GetProperty("data").EnumerateArray().Select(h => h.Str("to_status")));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Reserve_refuses_a_wrong_amount_and_missing_funds(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var buyer = await client.CreateUserAsync("buyer");
        var order = await client.CreateOrderAsync(buyer, await client.CreateUserAsync("seller"), "30.00");
        await client.TopUpAsync(buyer, "25.50");

        await (await client.PostNewAsync($"/api/v1/orders/{order}/reserve", new { amount = "29.99" })).ErrorAsync(422, "RESERVE_MISMATCH_AMOUNT");
        var details = await (await client.PostNewAsync($"/api/v1/orders/{order}/reserve", new { amount = "30.00" })).ErrorAsync(422, "INSUFFICIENT_FUNDS");
        Assert.Equal(("25.50", "30.00", "USD"), (details.Str("available"), details.Str("requested"), details.Str("currency")));

        var read = await (await client.GetAsync($"/api/v1/orders/{order}")).OkAsync();
        Assert.Equal("ORDER_CREATED", read.Str("status"));
        Assert.Equal("25.50", (await client.BalanceAsync(buyer)).Str("available"));
        await (await client.PostNewAsync("/api/v1/orders/ord_01aaaaaaaaaaaaaaaaaaaaaaaa/reserve", new { amount = "1.00" })).ErrorAsync(404, "ORDER_NOT_FOUND");
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Cancel_returns_the_reservation_and_closes_the_order(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var buyer = await client.CreateUserAsync("buyer");
        await client.TopUpAsync(buyer, "50.00");
        var order = await client.CreateOrderAsync(buyer, await client.CreateUserAsync("seller"), "50.00");
        await (await client.PostNewAsync($"/api/v1/orders/{order}/reserve", new { amount = "50.00" })).OkAsync();

        var canceled = await (await client.PostNewAsync($"/api/v1/orders/{order}/cancel", new { reason = "buyer changed mind" })).OkAsync();
        Assert.Equal(("CLOSED", "CANCELED"), (canceled.Str("status"), canceled.Str("resolution")));
        var again = await (await client.PostNewAsync($"/api/v1/orders/{order}/cancel", null)).OkAsync();
        Assert.Equal(canceled.GetRawText(), again.GetRawText());

        var balance = await client.BalanceAsync(buyer);
        Assert.Equal(("50.00", "0.00"), (balance.Str("available"), balance.Str("reserved")));

        var invalid = await (await client.PostNewAsync($"/api/v1/orders/{order}/reserve", new { amount = "50.00" })).ErrorAsync(409, "INVALID_STATE");
        Assert.Equal(("CLOSED", order), (invalid.Str("current_state"), invalid.Str("resource_id")));
        Assert.Equal(["ORDER_CREATED"], invalid.GetProperty("allowed_states").EnumerateArray().Select(s => s.GetString()));

        var history = await (await client.GetAsync($"/api/v1/orders/{order}/history")).OkAsync();
        var last = history.GetProperty("data").EnumerateArray().Last();
        Assert.Equal(("FUNDS_RESERVED", "CLOSED", "cancel", "buyer changed mind"), (last.Str("from_status"), last.Str("to_status"), last.Str("action"), last.Str("reason")));
        var events = await (await client.GetAsync($"/api/v1/events?resource_id={order}&types=order.canceled,order.closed")).OkAsync();
        Assert.Equal(["order.canceled", "order.closed"], events.GetProperty("data").EnumerateArray().Select(e => e.Str("type")));
        Assert.Equal("CANCELED", events.GetProperty("data")[1].GetProperty("data").Str("resolution"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Orders_list_by_filters_newest_first(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var buyer = await client.CreateUserAsync("buyer");
        var seller = await client.CreateUserAsync("seller");
        var first = await client.CreateOrderAsync(buyer, seller, "1.00");
        var second = await client.CreateOrderAsync(buyer, seller, "2.00");
        await (await client.PostNewAsync($"/api/v1/orders/{first}/cancel", null)).OkAsync();

        var byBuyer = await (await client.GetAsync($"/api/v1/orders?buyer_id={buyer}")).OkAsync();
        Assert.Equal([second, first], byBuyer.GetProperty("data").EnumerateArray().Select(o => o.Str("id")));
        var closed = await (await client.GetAsync($"/api/v1/orders?seller_id={seller}&status=CLOSED")).OkAsync();
        Assert.Equal([first], closed.GetProperty("data").EnumerateArray().Select(o => o.Str("id")));
        var future = await (await client.GetAsync($"/api/v1/orders?buyer_id={buyer}&created_after=2100-01-01T00:00:00.000Z")).OkAsync();
        Assert.Equal(0, future.GetProperty("data").GetArrayLength());
        await (await client.GetAsync("/api/v1/orders?status=PAID")).ErrorAsync(400, "VALIDATION_ERROR");
    }
}
