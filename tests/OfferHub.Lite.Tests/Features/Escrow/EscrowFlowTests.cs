using System.Net;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Escrow;

/// <summary>The worked example of states.md, step by step with exact balances, and the other ways
/// an escrow ends: milestone by milestone, partial release then refund, and the forbidden moves.</summary>
public sealed class EscrowFlowTests(AppFixture fixture) : BooksBalanced(fixture)
{
    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task The_worked_example_release_branch_holds_to_the_cent(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var buyer = await client.CreateUserAsync("buyer");
        var seller = await client.CreateUserAsync("seller");
        Assert.Equal(("0.00", "0.00"), await client.AvailableReservedAsync(buyer));

        await client.TopUpAsync(buyer, "100.00");
        Assert.Equal(("100.00", "0.00"), await client.AvailableReservedAsync(buyer));

        var order = await client.CreateOrderAsync(buyer, seller, "80.00");
        await (await client.PostNewAsync($"/api/v1/orders/{order}/reserve", new { amount = "80.00" })).OkAsync();
        Assert.Equal(("20.00", "80.00"), await client.AvailableReservedAsync(buyer));

        var created = await (await client.PostNewAsync($"/api/v1/orders/{order}/escrow", new { })).OkAsync();
        Assert.Equal("ESCROW_FUNDING", created.Str("status"));
        Assert.Equal("CREATED", created.GetProperty("escrow").Str("status"));
        Assert.StartsWith("C", created.GetProperty("escrow").Str("trustless_contract_id"), StringComparison.Ordinal);
        Assert.Equal(("20.00", "80.00"), await client.AvailableReservedAsync(buyer));

        var funded = await (await client.PostNewAsync($"/api/v1/orders/{order}/escrow/fund", null)).OkAsync();
        Assert.Equal(("IN_PROGRESS", "FUNDED"), (funded.Str("status"), funded.GetProperty("escrow").Str("status")));
        Assert.Equal(("20.00", "0.00"), await client.AvailableReservedAsync(buyer));
        Assert.Equal(("0.00", "0.00"), await client.AvailableReservedAsync(seller));

        var released = await (await client.PostNewAsync($"/api/v1/orders/{order}/release", new { mode = "FULL" })).OkAsync();
        Assert.Equal(("CLOSED", "80.00"), (released.Str("status"), released.Str("released_amount")));
        Assert.Equal(("20.00", "0.00"), await client.AvailableReservedAsync(buyer));
        Assert.Equal(("80.00", "0.00"), await client.AvailableReservedAsync(seller));
        var closed = await client.OrderAsync(order);
        Assert.Equal("RELEASED", closed.Str("resolution"));
        Assert.Equal("RELEASED", closed.GetProperty("escrow").Str("status"));
        var escrow = await (await client.GetAsync($"/api/v1/orders/{order}/escrow")).OkAsync();
        Assert.Equal(("80.00", "80.00", "0.00"), (escrow.Str("funded_amount"), escrow.Str("released_amount"), escrow.Str("refunded_amount")));

        // The seller takes the money out through Airtm.
        await client.LinkAirtmAsync(seller);
        var withdrawal = await (await client.PostNewAsync("/api/v1/withdrawals", new { user_id = seller, amount = "80.00", currency = "USD", commit = true }))
            .OkAsync(HttpStatusCode.Created);
        Assert.Equal("WITHDRAWAL_COMPLETED", withdrawal.Str("status"));
        Assert.Equal(("20.00", "0.00"), await client.AvailableReservedAsync(buyer));
        Assert.Equal(("0.00", "0.00"), await client.AvailableReservedAsync(seller));

        var history = await (await client.GetAsync($"/api/v1/orders/{order}/history")).OkAsync();
        Assert.Equal(
            ["ORDER_CREATED", "FUNDS_RESERVED", "ESCROW_CREATING", "ESCROW_FUNDING", "ESCROW_FUNDED", "IN_PROGRESS", "RELEASE_REQUESTED", "RELEASED", "CLOSED"],
            history.GetProperty("data").EnumerateArray().Select(h => h.Str("to_status")).ToArray());
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task The_worked_example_refund_branch_gives_the_buyer_everything_back(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var parties = await client.FundedOrderAsync("100.00", "80.00");
        Assert.Equal(("20.00", "0.00"), await client.AvailableReservedAsync(parties.Buyer));

        var refunded = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/refund", new { mode = "FULL", reason = "not delivered" })).OkAsync();

        Assert.Equal(("CLOSED", "80.00"), (refunded.Str("status"), refunded.Str("refunded_amount")));
        Assert.Equal(("100.00", "0.00"), await client.AvailableReservedAsync(parties.Buyer));
        Assert.Equal(("0.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));
        Assert.Equal("REFUNDED", (await client.OrderAsync(parties.Order)).Str("resolution"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_milestone_order_is_released_milestone_by_milestone(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        object[] milestones =
        [
            new { milestone_ref = "design", title = "Design", amount = "30.00" },
            new { milestone_ref = "build", title = "Build", amount = "45.00" },
            new { milestone_ref = "ship", title = "Ship", amount = "15.00" },
        ];
        var parties = await client.FundedOrderAsync("90.00", "90.00", milestones);
        Assert.Equal("multi-release", (await (await client.GetAsync($"/api/v1/orders/{parties.Order}/escrow")).OkAsync()).Str("type"));

        var done = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/milestones/design/complete", new { completed_by = "seller" })).OkAsync();
        Assert.Equal("COMPLETED", done.Str("status"));
        var approved = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/milestones/design/complete", new { completed_by = "buyer" })).OkAsync();
        Assert.Equal("APPROVED", approved.Str("status"));
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/milestones/ship/complete", new { completed_by = "buyer" })).ErrorAsync(409, "INVALID_STATE");

        var first = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "PARTIAL", milestone_ref = "design" })).OkAsync();
        Assert.Equal(("IN_PROGRESS", "30.00"), (first.Str("status"), first.Str("released_amount")));
        Assert.Equal(("30.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));

        var second = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "PARTIAL", milestone_ref = "build", amount = "45.00" })).OkAsync();
        Assert.Equal(("IN_PROGRESS", "75.00"), (second.Str("status"), second.Str("released_amount")));
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "PARTIAL", milestone_ref = "ship", amount = "14.00" })).ErrorAsync(400, "VALIDATION_ERROR");

        var last = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "PARTIAL", milestone_ref = "ship" })).OkAsync();
        Assert.Equal(("CLOSED", "90.00"), (last.Str("status"), last.Str("released_amount")));
        Assert.Equal(("90.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));
        var order = await client.OrderAsync(parties.Order);
        Assert.Equal("RELEASED", order.Str("resolution"));
        Assert.All(order.GetProperty("milestones").EnumerateArray(), m => Assert.Equal("RELEASED", m.Str("status")));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_partial_release_then_a_refund_of_the_rest_adds_up(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        object[] milestones = [new { milestone_ref = "part-1", amount = "50.00" }, new { milestone_ref = "part-2", amount = "30.00" }];
        var parties = await client.FundedOrderAsync("100.00", "80.00", milestones);

        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "PARTIAL", milestone_ref = "part-1" })).OkAsync();
        var refunded = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/refund", new { mode = "FULL" })).OkAsync();

        Assert.Equal(("CLOSED", "30.00"), (refunded.Str("status"), refunded.Str("refunded_amount")));
        Assert.Equal(("50.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));
        Assert.Equal(("50.00", "0.00"), await client.AvailableReservedAsync(parties.Buyer));
        var order = await client.OrderAsync(parties.Order);
        Assert.Equal(("50.00", "30.00"), (order.Str("released_amount"), order.Str("refunded_amount")));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Forbidden_moves_are_refused_with_the_current_state(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var buyer = await client.CreateUserAsync("buyer");
        var created = await client.CreateOrderAsync(buyer, await client.CreateUserAsync("seller"), "10.00");

        var notReserved = await (await client.PostNewAsync($"/api/v1/orders/{created}/escrow", new { })).ErrorAsync(409, "INVALID_STATE");
        Assert.Equal("ORDER_CREATED", notReserved.Str("current_state"));
        await (await client.PostNewAsync($"/api/v1/orders/{created}/escrow/fund", null)).ErrorAsync(409, "ESCROW_NOT_READY");
        await (await client.PostNewAsync($"/api/v1/orders/{created}/release", new { mode = "FULL" })).ErrorAsync(409, "ESCROW_NOT_READY");

        var parties = await client.ReservedOrderAsync("20.00", "20.00");
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/escrow", new { })).OkAsync();
        var early = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "FULL" })).ErrorAsync(409, "INVALID_STATE");
        Assert.Equal("ESCROW_FUNDING", early.Str("current_state"));
        Assert.Contains("IN_PROGRESS", early.GetProperty("allowed_states").EnumerateArray().Select(s => s.GetString()));
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/cancel", null)).ErrorAsync(409, "INVALID_STATE");
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/escrow/fund", null)).OkAsync();

        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "PARTIAL", milestone_ref = "x" })).ErrorAsync(409, "ESCROW_NOT_READY");
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "FULL" })).OkAsync();
        var afterRelease = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/refund", new { mode = "FULL" })).ErrorAsync(409, "INVALID_STATE");
        Assert.Equal("CLOSED", afterRelease.Str("current_state"));
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/disputes", new { opened_by = "buyer", reason = "late" })).ErrorAsync(409, "INVALID_STATE");
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "BOTH" })).ErrorAsync(400, "VALIDATION_ERROR");
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Repeating_an_escrow_action_answers_the_current_state_and_moves_no_money(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var parties = await client.FundedOrderAsync("50.00", "50.00");
        var again = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/escrow", new { })).OkAsync();
        Assert.Equal("IN_PROGRESS", again.Str("status"));
        Assert.Equal("IN_PROGRESS", (await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/escrow/fund", null)).OkAsync()).Str("status"));

        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "FULL" })).OkAsync();
        var repeat = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "FULL" })).OkAsync();
        Assert.Equal(("CLOSED", "50.00"), (repeat.Str("status"), repeat.Str("released_amount")));
        Assert.Equal(("50.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));
        var signatures = await (await client.GetAsync($"/api/v1/signatures?order_id={parties.Order}&limit=100")).OkAsync();
        // deploy, fund, milestone status (an approval needs one), approve, release: each signed once.
        Assert.Equal(5, signatures.GetProperty("data").GetArrayLength());
        Assert.All(signatures.GetProperty("data").EnumerateArray(), s => Assert.Equal("CONFIRMED", s.Str("status")));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Ten_concurrent_releases_with_different_keys_pay_the_seller_once(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var parties = await client.FundedOrderAsync("60.00", "60.00");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "FULL" })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await client.WaitForStatusAsync($"/api/v1/orders/{parties.Order}", "CLOSED");
        Assert.Equal(("60.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));
        var signatures = await (await client.GetAsync($"/api/v1/signatures?order_id={parties.Order}&limit=100")).OkAsync();
        // deploy, fund, milestone status (an approval needs one), approve, release: each signed once.
        Assert.Equal(5, signatures.GetProperty("data").GetArrayLength());
    }
}
