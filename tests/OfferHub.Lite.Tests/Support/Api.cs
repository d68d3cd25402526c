using System.Net;
using System.Text.Json;

namespace OfferHub.Lite.Tests.Support;

/// <summary>Setup steps many tests share, each through the public API.</summary>
public static class Api
{
    public static async Task<string> CreateKeyAsync(this TestApp app, params string[] scopes)
    {
        var response = await app.Master().PostAsync("/api/v1/auth/api-keys", new { name = "test " + string.Join('+', scopes), scopes });
        var body = await response.OkAsync(HttpStatusCode.Created);
        return body.Str("api_key");
    }

    public static async Task<HttpClient> ClientWithScopesAsync(this TestApp app, params string[] scopes) =>
        app.Client(await app.CreateKeyAsync(scopes));

    public static async Task<HttpClient> WriterAsync(this TestApp app) =>
        await app.ClientWithScopesAsync("read", "write", "support");

    /// <summary>Sandbox money through the same ledger path a succeeded top-up takes.</summary>
    public static async Task CreditAsync(this HttpClient client, string userId, string amount) =>
        await (await client.PostNewAsync("/api/v1/sandbox/credits", new { user_id = userId, amount })).OkAsync(HttpStatusCode.Created);

    public static async Task<JsonElement> BalanceAsync(this HttpClient client, string userId) =>
        await (await client.GetAsync($"/api/v1/users/{userId}/balance")).OkAsync();

    public static async Task<string> CreateOrderAsync(this HttpClient client, string buyerId, string sellerId, string amount)
    {
        var body = await (await client.PostNewAsync("/api/v1/orders", new { buyer_id = buyerId, seller_id = sellerId, amount, currency = "USD" }))
            .OkAsync(HttpStatusCode.Created);
        return body.Str("id");
    }

    public static async Task<string> CreateUserAsync(this HttpClient client, string type = "buyer", string? externalId = null)
    {
        var body = await (await client.PostNewAsync("/api/v1/users", new { external_user_id = externalId ?? "ext-" + Guid.NewGuid().ToString("N"), type }))
            .OkAsync(HttpStatusCode.Created);
        return body.Str("id");
    }
}
