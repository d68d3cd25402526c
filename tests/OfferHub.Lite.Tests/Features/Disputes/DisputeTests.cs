using System.Net;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Disputes;

/// <summary>Disputes resolved each way; the money moves only through the resolution.</summary>
public sealed class DisputeTests(AppFixture fixture) : BooksBalanced(fixture)
{
    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_dispute_freezes_the_order_and_a_full_release_resolution_pays_the_seller(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var parties = await client.FundedOrderAsync("100.00", "80.00");
        var body = new { opened_by = "buyer", reason = "item not as described", message = "photos attached", evidence = new[] { "https://example.com/photo.jpg" } };

        var opened = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/disputes", body)).OkAsync(HttpStatusCode.Created);
        Assert.Equal("DISPUTED", opened.Str("status"));
        var same = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/disputes", body)).OkAsync(HttpStatusCode.Created);
        Assert.Equal(opened.Str("dispute_id"), same.Str("dispute_id"));
        var other = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/disputes", new { opened_by = "seller", reason = "buyer unresponsive" })).ErrorAsync(409, "DISPUTE_ALREADY_OPEN");
        Assert.Equal(opened.Str("dispute_id"), other.Str("dispute_id"));

        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "FULL" })).ErrorAsync(409, "INVALID_STATE");
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/refund", new { mode = "FULL" })).ErrorAsync(409, "INVALID_STATE");
        var disputeId = opened.Str("dispute_id");
        Assert.Equal(disputeId, (await client.OrderAsync(parties.Order)).Str("dispute_id"));

        var assigned = await (await client.PostNewAsync($"/api/v1/disputes/{disputeId}/assign", new { agent_id = "agent-7" })).OkAsync();
        Assert.Equal(("UNDER_REVIEW", "agent-7"), (assigned.Str("status"), assigned.Str("assigned_to")));
        await (await client.PostAsync($"/api/v1/disputes/{disputeId}/comment", new { message = "Asked the seller for tracking." })).OkAsync(HttpStatusCode.Created);
        var comments = await (await client.GetAsync($"/api/v1/disputes/{disputeId}/comments")).OkAsync();
        Assert.Equal("Asked the seller for tracking.", comments.GetProperty("data")[0].Str("message"));

        var resolved = await (await client.PostNewAsync($"/api/v1/disputes/{disputeId}/resolve", new { decision = "FULL_RELEASE", note = "delivered" })).OkAsync();
        Assert.Equal("RESOLVED", resolved.Str("status"));
        Assert.Equal(("80.00", "0.00", "CLOSED"), (resolved.GetProperty("result").Str("amount_to_seller"), resolved.GetProperty("result").Str("amount_to_buyer"),
            resolved.GetProperty("result").Str("order_status")));
        Assert.Equal(("80.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));
        Assert.Equal(("20.00", "0.00"), await client.AvailableReservedAsync(parties.Buyer));
        Assert.Equal("RELEASED", (await client.OrderAsync(parties.Order)).Str("resolution"));

        var again = await (await client.PostNewAsync($"/api/v1/disputes/{disputeId}/resolve", new { decision = "FULL_RELEASE" })).OkAsync();
        Assert.Equal("RESOLVED", again.Str("status"));
        await (await client.PostNewAsync($"/api/v1/disputes/{disputeId}/resolve", new { decision = "FULL_REFUND" })).ErrorAsync(409, "INVALID_STATE");
        var dispute = await (await client.GetAsync($"/api/v1/disputes/{disputeId}")).OkAsync();
        Assert.Equal(("FULL_RELEASE", 1), (dispute.GetProperty("resolution").Str("decision"), dispute.GetProperty("comments_count").GetInt32()));
        Assert.Equal(("80.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_full_refund_resolution_returns_everything_to_the_buyer(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var parties = await client.FundedOrderAsync("80.00", "80.00");
        var disputeId = (await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/disputes", new { opened_by = "seller", reason = "cancel" }))
            .OkAsync(HttpStatusCode.Created)).Str("dispute_id");

        await (await client.PostNewAsync($"/api/v1/disputes/{disputeId}/resolve", new { decision = "FULL_REFUND" })).OkAsync();

        Assert.Equal(("80.00", "0.00"), await client.AvailableReservedAsync(parties.Buyer));
        Assert.Equal(("0.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));
        Assert.Equal(("CLOSED", "REFUNDED"), ((await client.OrderAsync(parties.Order)).Str("status"), (await client.OrderAsync(parties.Order)).Str("resolution")));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_split_must_add_up_to_what_the_escrow_holds(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var parties = await client.FundedOrderAsync("80.00", "80.00");
        var disputeId = (await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/disputes", new { opened_by = "buyer", reason = "half done" }))
            .OkAsync(HttpStatusCode.Created)).Str("dispute_id");

        var invalid = await (await client.PostNewAsync($"/api/v1/disputes/{disputeId}/resolve", new { decision = "SPLIT", amount_to_seller = "50.00", amount_to_buyer = "20.00" }))
            .ErrorAsync(422, "INVALID_SPLIT");
        Assert.Equal("80.00", invalid.Str("in_escrow"));
        await (await client.PostNewAsync($"/api/v1/disputes/{disputeId}/resolve", new { decision = "SPLIT", amount_to_seller = "50.00" })).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Equal("OPEN", (await (await client.GetAsync($"/api/v1/disputes/{disputeId}")).OkAsync()).Str("status"));

        var split = await (await client.PostNewAsync($"/api/v1/disputes/{disputeId}/resolve", new { decision = "SPLIT", amount_to_seller = "50.00", amount_to_buyer = "30.00" })).OkAsync();

        Assert.Equal("CLOSED", split.GetProperty("result").Str("order_status"));
        Assert.Equal(("50.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));
        Assert.Equal(("30.00", "0.00"), await client.AvailableReservedAsync(parties.Buyer));
        var order = await client.OrderAsync(parties.Order);
        Assert.Equal(("SPLIT", "50.00", "30.00"), (order.Str("resolution"), order.Str("released_amount"), order.Str("refunded_amount")));
        Assert.Equal("RESOLVED", order.GetProperty("escrow").Str("status"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_milestone_order_split_is_shared_out_across_its_open_milestones(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        object[] milestones = [new { milestone_ref = "a", amount = "40.00" }, new { milestone_ref = "b", amount = "40.00" }, new { milestone_ref = "c", amount = "20.00" }];
        var parties = await client.FundedOrderAsync("100.00", "100.00", milestones);
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "PARTIAL", milestone_ref = "a" })).OkAsync();
        var disputeId = (await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/disputes", new { opened_by = "buyer", reason = "b late" }))
            .OkAsync(HttpStatusCode.Created)).Str("dispute_id");

        await (await client.PostNewAsync($"/api/v1/disputes/{disputeId}/resolve", new { decision = "SPLIT", amount_to_seller = "45.00", amount_to_buyer = "15.00" })).OkAsync();

        Assert.Equal(("85.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));
        Assert.Equal(("15.00", "0.00"), await client.AvailableReservedAsync(parties.Buyer));
        var order = await client.OrderAsync(parties.Order);
        Assert.Equal(("CLOSED", "SPLIT"), (order.Str("status"), order.Str("resolution")));
        Assert.Equal(["RELEASED", "RELEASED", "RESOLVED"], order.GetProperty("milestones").EnumerateArray().Select(m => m.Str("status")).ToArray());
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Dispute_lists_filter_and_unknown_ids_are_not_found(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var parties = await client.FundedOrderAsync("10.00", "10.00");
        var disputeId = (await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/disputes", new { opened_by = "buyer", reason = "r" }))
            .OkAsync(HttpStatusCode.Created)).Str("dispute_id");

        var open = await (await client.GetAsync($"/api/v1/disputes?status=OPEN&order_id={parties.Order}")).OkAsync();
        Assert.Equal(disputeId, open.GetProperty("data")[0].Str("id"));
        Assert.Empty((await (await client.GetAsync($"/api/v1/disputes?status=RESOLVED&order_id={parties.Order}")).OkAsync()).GetProperty("data").EnumerateArray());
        await (await client.GetAsync("/api/v1/disputes?status=CLOSED")).ErrorAsync(400, "VALIDATION_ERROR");
        await (await client.GetAsync("/api/v1/disputes/dsp_00000000000000000000000000")).ErrorAsync(404, "DISPUTE_NOT_FOUND");

        await (await client.PostNewAsync($"/api/v1/disputes/{disputeId}/resolve", new { decision = "FULL_REFUND" })).OkAsync();
    }
}
