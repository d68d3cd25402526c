using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Escrow;

/// <summary>The non-custodial signing flow, and money that never moves twice whatever the provider
/// does: failures resumed by retrying, lost answers confirmed by retrying, duplicated and
/// reordered notifications of the optional intake.</summary>
public sealed class SigningAndRecoveryTests(AppFixture fixture) : BooksBalanced(fixture)
{
    private const string Control = Support.Escrow.Control;

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_held_signature_waits_for_the_client_and_the_operation_continues_on_submit(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var parties = await client.ReservedOrderAsync("30.00", "30.00");
        await HoldSignaturesAsync(client, true);
        JsonElement waiting;
        try
        {
            waiting = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/escrow", new { })).OkAsync();
        }
        finally
        {
            await HoldSignaturesAsync(client, false);
        }

        Assert.Equal("ESCROW_CREATING", waiting.Str("status"));
        var pending = waiting.GetProperty("escrow").GetProperty("pending_signature");
        Assert.Equal(("PENDING", "deploy", "platform"), (pending.Str("status"), pending.Str("operation"), pending.Str("signer_role")));
        var listed = await (await client.GetAsync($"/api/v1/signatures?order_id={parties.Order}&status=PENDING")).OkAsync();
        Assert.Equal(pending.Str("id"), listed.GetProperty("data")[0].Str("id"));

        // Signed by the wrong key: the network refuses it and the request waits for the right one.
        var wrong = await SignAsync(client, pending.Str("unsigned_xdr"), "GDX2ZSUDVU7BF6HIY3D5T5RJFHCNBC344X27B6J7NBQFTXINT5IUFY62");
        await (await client.PostNewAsync($"/api/v1/signatures/{pending.Str("id")}/submit", new { signed_xdr = wrong })).ErrorAsync(502, "PROVIDER_ERROR");
        Assert.Equal("PENDING", (await (await client.GetAsync($"/api/v1/signatures/{pending.Str("id")}")).OkAsync()).Str("status"));

        var signed = await SignAsync(client, pending.Str("unsigned_xdr"), pending.Str("signer_address"));
        var submitted = await (await client.PostNewAsync($"/api/v1/signatures/{pending.Str("id")}/submit", new { signed_xdr = signed })).OkAsync();
        Assert.Equal("CONFIRMED", submitted.Str("status"));
        Assert.Equal("ESCROW_FUNDING", (await client.OrderAsync(parties.Order)).Str("status"));
        Assert.Equal("CONFIRMED", (await (await client.PostNewAsync($"/api/v1/signatures/{pending.Str("id")}/submit", new { signed_xdr = signed })).OkAsync()).Str("status"));

        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/escrow/fund", null)).OkAsync();
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "FULL" })).OkAsync();
        Assert.Equal(("30.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task An_unsigned_request_expires_and_retrying_the_operation_asks_for_a_new_one(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var client = await app.WriterAsync();
        var parties = await client.ReservedOrderAsync("10.00", "10.00");
        await HoldSignaturesAsync(client, true);
        try
        {
            var first = (await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/escrow", new { })).OkAsync()).GetProperty("escrow").GetProperty("pending_signature");
            app.Clock.Advance(TimeSpan.FromMinutes(61));
            var signed = await SignAsync(client, first.Str("unsigned_xdr"), first.Str("signer_address"));
            var expired = await (await client.PostNewAsync($"/api/v1/signatures/{first.Str("id")}/submit", new { signed_xdr = signed })).ErrorAsync(409, "INVALID_STATE");
            Assert.Equal("EXPIRED", expired.Str("current_state"));

            var second = (await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/escrow", new { })).OkAsync()).GetProperty("escrow").GetProperty("pending_signature");
            Assert.NotEqual(first.Str("id"), second.Str("id"));
            await (await client.PostNewAsync($"/api/v1/signatures/{second.Str("id")}/submit",
                new { signed_xdr = await SignAsync(client, second.Str("unsigned_xdr"), second.Str("signer_address")) })).OkAsync();
        }
        finally
        {
            await HoldSignaturesAsync(client, false);
        }

        Assert.Equal("ESCROW_FUNDING", (await client.OrderAsync(parties.Order)).Str("status"));
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/escrow/fund", null)).OkAsync();
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/refund", new { mode = "FULL" })).OkAsync();
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_multi_step_operation_asks_for_each_signature_in_turn(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var parties = await client.FundedOrderAsync("25.00", "25.00");
        await HoldSignaturesAsync(client, true);
        try
        {
            // A refund is a dispute (signed by the approver) then its resolution (by the resolver).
            var first = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/refund", new { mode = "FULL" })).OkAsync();
            Assert.Equal("REFUND_REQUESTED", first.Str("status"));
            var dispute = await PendingAsync(client, parties.Order);
            Assert.Equal(("dispute", "approver"), (dispute.Str("operation"), dispute.Str("signer_role")));
            await (await client.PostNewAsync($"/api/v1/signatures/{dispute.Str("id")}/submit",
                new { signed_xdr = await SignAsync(client, dispute.Str("unsigned_xdr"), dispute.Str("signer_address")) })).OkAsync();

            var resolve = await PendingAsync(client, parties.Order);
            Assert.Equal(("resolve", "dispute_resolver"), (resolve.Str("operation"), resolve.Str("signer_role")));
            Assert.Equal(("0.00", "0.00"), await client.AvailableReservedAsync(parties.Buyer));
            await (await client.PostNewAsync($"/api/v1/signatures/{resolve.Str("id")}/submit",
                new { signed_xdr = await SignAsync(client, resolve.Str("unsigned_xdr"), resolve.Str("signer_address")) })).OkAsync();
        }
        finally
        {
            await HoldSignaturesAsync(client, false);
        }

        Assert.Equal("CLOSED", (await client.OrderAsync(parties.Order)).Str("status"));
        Assert.Equal(("25.00", "0.00"), await client.AvailableReservedAsync(parties.Buyer));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_provider_failure_while_funding_is_resumed_by_retrying_the_same_call(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var parties = await client.ReservedOrderAsync("40.00", "40.00");
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/escrow", new { })).OkAsync();
        var key = Guid.NewGuid().ToString();

        await (await client.PostAsync($"{Control}/faults", new { status = 500, count = 1 })).EnsureNoContentAsync();
        await (await client.PostAsync($"/api/v1/orders/{parties.Order}/escrow/fund", null, key)).ErrorAsync(502, "PROVIDER_ERROR");
        Assert.Equal("ESCROW_FUNDING", (await client.OrderAsync(parties.Order)).Str("status"));
        Assert.Equal(("0.00", "40.00"), await client.AvailableReservedAsync(parties.Buyer));

        var funded = await (await client.PostAsync($"/api/v1/orders/{parties.Order}/escrow/fund", null, key)).OkAsync();
        Assert.Equal("IN_PROGRESS", funded.Str("status"));
        Assert.Equal(("0.00", "0.00"), await client.AvailableReservedAsync(parties.Buyer));
        var escrow = await (await client.GetAsync($"{Control}/contracts/{funded.GetProperty("escrow").Str("trustless_contract_id")}")).OkAsync();
        Assert.Equal(40.00m, escrow.GetProperty("balance").GetDecimal());
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_submission_whose_answer_is_lost_is_confirmed_when_retried_and_pays_once(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        var parties = await client.FundedOrderAsync("60.00", "60.00");

        // Release = milestone status, approve, release (each prepared then sent): the last send is
        // applied on the network, then hangs past our deadline. No notification comes (Trustless
        // Work sends none); the retry finds the transaction already on the network.
        await (await client.PostAsync($"{Control}/faults", new { count = 5 })).EnsureNoContentAsync();
        await (await client.PostAsync($"{Control}/faults", new { hang_seconds = 5, count = 1 })).EnsureNoContentAsync();
        var key = Guid.NewGuid().ToString();
        await (await client.PostAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "FULL" }, key)).ErrorAsync(504, "PROVIDER_TIMEOUT");

        Assert.Equal("RELEASE_REQUESTED", (await client.OrderAsync(parties.Order)).Str("status"));
        Assert.Equal(("0.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));
        var retried = await (await client.PostAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "FULL" }, key)).OkAsync();
        Assert.Equal(("CLOSED", "60.00"), (retried.Str("status"), retried.Str("released_amount")));
        Assert.Equal(("60.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Duplicated_and_reordered_notifications_move_no_money_twice(Dialect dialect)
    {
        var client = await Fixture.Get(dialect).WriterAsync();
        await (await client.PostAsync($"{Control}/notifications", new { mode = "hold" })).EnsureNoContentAsync();
        Support.Escrow.Parties parties;
        try
        {
            parties = await client.FundedOrderAsync("70.00", "70.00");
            await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/release", new { mode = "FULL" })).OkAsync();
        }
        finally
        {
            await (await client.PostAsync($"{Control}/notifications", new { mode = "duplicate" })).EnsureNoContentAsync();
        }

        try
        {
            var released = await (await client.PostAsync($"{Control}/notifications/release", new { order = "reverse" })).OkAsync();
            Assert.Equal(5, released.GetProperty("released").GetInt32());
            await client.NotificationsSettledAsync();
        }
        finally
        {
            await (await client.PostAsync($"{Control}/notifications", new { mode = "off" })).EnsureNoContentAsync();
        }

        Assert.Equal(("70.00", "0.00"), await client.AvailableReservedAsync(parties.Seller));
        Assert.Equal(("0.00", "0.00"), await client.AvailableReservedAsync(parties.Buyer));
        Assert.Equal("CLOSED", (await client.OrderAsync(parties.Order)).Str("status"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_notification_with_a_bad_signature_is_refused_and_a_repeat_is_a_duplicate(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var client = app.Client();
        var body = JsonSerializer.Serialize(new { event_id = "twe_test_" + dialect, type = "escrow.fund-escrow", data = new { contract_id = "CUNKNOWN", operation = "fund-escrow" } });
        var secret = app.Services.GetRequiredService<OfferHubOptions>().Trustless.WebhookSecret!;

        await (await client.SendAsync(Notification(body, new string('0', 64)))).ErrorAsync(401, "WEBHOOK_SIGNATURE_INVALID");
        await (await client.SendAsync(Notification(body, null))).ErrorAsync(401, "WEBHOOK_SIGNATURE_INVALID");
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
        Assert.False((await (await client.SendAsync(Notification(body, signature))).OkAsync()).GetProperty("duplicate").GetBoolean());
        Assert.True((await (await client.SendAsync(Notification(body, signature))).OkAsync()).GetProperty("duplicate").GetBoolean());
    }

    private static HttpRequestMessage Notification(string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks/trustless-work") { Content = Http.RawContent(body, "application/json") };
        if (signature is not null)
        {
            request.Headers.Add("TW-Signature", signature);
        }

        return request;
    }

    private static async Task HoldSignaturesAsync(HttpClient client, bool hold) =>
        await (await client.PostAsync($"{Control}/signing", new { hold })).EnsureNoContentAsync();

    private static async Task<string> SignAsync(HttpClient client, string unsignedXdr, string signer) =>
        (await (await client.PostAsync($"{Control}/sign", new { unsigned_xdr = unsignedXdr, signer_address = signer })).OkAsync()).Str("signed_xdr");

    private static async Task<JsonElement> PendingAsync(HttpClient client, string orderId) =>
        (await (await client.GetAsync($"/api/v1/signatures?order_id={orderId}&status=PENDING")).OkAsync()).GetProperty("data")[0];
}
