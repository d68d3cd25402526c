using System.Net;
using System.Text.Json;

namespace OfferHub.Lite.Tests.Support;

/// <summary>Escrow steps through the public API and the Trustless Work simulator's controls.</summary>
public static class Escrow
{
    public const string Control = "/sim/trustless-work/_control";

    public sealed record Parties(string Buyer, string Seller, string Order);

    /// <summary>A buyer with <paramref name="topUp"/> of real top-ups, a seller, and a reserved order.</summary>
    public static async Task<Parties> ReservedOrderAsync(this HttpClient client, string topUp, string amount, object[]? milestones = null)
    {
        var buyer = await client.CreateUserAsync("buyer");
        var seller = await client.CreateUserAsync("seller");
        await client.TopUpAsync(buyer, topUp);
        var order = (await (await client.PostNewAsync("/api/v1/orders", new { buyer_id = buyer, seller_id = seller, amount, currency = "USD", milestones }))
            .OkAsync(HttpStatusCode.Created)).Str("id");
        await (await client.PostNewAsync($"/api/v1/orders/{order}/reserve", new { amount })).OkAsync();
        return new Parties(buyer, seller, order);
    }

    /// <summary>Deploys and funds the order's escrow; the order ends IN_PROGRESS.</summary>
    public static async Task<Parties> FundedOrderAsync(this HttpClient client, string topUp, string amount, object[]? milestones = null)
    {
        var parties = await client.ReservedOrderAsync(topUp, amount, milestones);
        await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/escrow", new { })).OkAsync();
        var funded = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/escrow/fund", null)).OkAsync();
        Assert.Equal("IN_PROGRESS", funded.Str("status"));
        return parties;
    }

    public static async Task<JsonElement> OrderAsync(this HttpClient client, string orderId) =>
        await (await client.GetAsync($"/api/v1/orders/{orderId}")).OkAsync();

    public static async Task<(string Available, string Reserved)> AvailableReservedAsync(this HttpClient client, string userId)
    {
        var balance = await client.BalanceAsync(userId);
        return (balance.Str("available"), balance.Str("reserved"));
    }

    public static Task NotificationsSettledAsync(this HttpClient client, int timeoutMs = 15_000) =>
        client.SettledAsync($"{Control}/notifications/pending", "the Trustless Work simulator's notifications did not settle", timeoutMs);
}
