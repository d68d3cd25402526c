using System.Net.Http.Json;
using System.Text.Json;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Bench;

/// <summary>One operation = POST /orders then POST /orders/{id}/reserve, each with its own
/// Idempotency-Key, through HTTP against the real server. Operations go round the buyer/seller
/// pairs, as a marketplace's many buyers would (not one hot account).</summary>
public sealed class ApiWorkload(HttpClient client, string apiKey, IReadOnlyList<(string Buyer, string Seller)> pairs)
{
    private static readonly string[] BenchScopes = ["read", "write"];

    public string ApiKey => apiKey;

    public IReadOnlyList<(string Buyer, string Seller)> Pairs => pairs;

    public static async Task<ApiWorkload> PrepareAsync(Uri baseAddress, int pairCount)
    {
        var master = new HttpClient { BaseAddress = baseAddress };
        master.DefaultRequestHeaders.Authorization = new("Bearer", ServerProcess.MasterKey);
        var key = await ReadAsync(await master.PostAsJsonAsync("/api/v1/auth/api-keys", new { name = "bench", scopes = BenchScopes }));
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = baseAddress };
        var apiKey = key.GetProperty("api_key").GetString()!;
        client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        var pairs = new List<(string, string)>();
        for (var i = 0; i < pairCount; i++)
        {
            var buyer = await CreateUserAsync(client, "buyer");
            var seller = await CreateUserAsync(client, "seller");
            await ReadAsync(await Post(client, "/api/v1/sandbox/credits", new { user_id = buyer, amount = "9000000.00" }));
            pairs.Add((buyer, seller));
        }

        return new ApiWorkload(client, apiKey, pairs);
    }

    public async Task RunOnceAsync(int i)
    {
        var (buyerId, sellerId) = pairs[i % pairs.Count];
        var order = await ReadAsync(await Post(client, "/api/v1/orders", new { buyer_id = buyerId, seller_id = sellerId, amount = "1.00", currency = "USD" }));
        await ReadAsync(await Post(client, $"/api/v1/orders/{order.GetProperty("id").GetString()}/reserve", new { amount = "1.00" }));
    }

    private static async Task<string> CreateUserAsync(HttpClient client, string type) =>
        (await ReadAsync(await Post(client, "/api/v1/users", new { external_user_id = "bench-" + Guid.NewGuid().ToString("N"), type }))).GetProperty("id").GetString()!;

    private static Task<HttpResponseMessage> Post(HttpClient client, string path, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.Clone() : throw new InvalidOperationException($"{(int)response.StatusCode}: {text}");
    }
}
