using System.Globalization;
using System.Text.Json;

namespace OfferHub.Lite.Host.Cli;

/// <summary>`demo`: the worked example of states.md against the built-in simulators, on a throw-away
/// SQLite database and a free local port, through the public HTTP API, printing each step with
/// the balances.</summary>
public static class Demo
{
    private static readonly string[] Scopes = ["read", "write", "support"];

    public static async Task<int> RunAsync(CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("offerhub-demo-");
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var masterKey = "demo_" + Guid.NewGuid().ToString("N");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Demo" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = baseUrl,
            ["DATABASE_URL"] = "sqlite://" + Path.Combine(directory.FullName, "demo.db"),
            ["OFFERHUB_MASTER_KEY"] = masterKey,
            ["PUBLIC_BASE_URL"] = baseUrl,
            ["AIRTM_MODE"] = "simulated",
            ["TRUSTLESS_MODE"] = "simulated",
            ["OfferHub:Jobs:Enabled"] = "false",
        });
        builder.AddOfferHub();
        await using var app = builder.Build();
        await app.UseOfferHubAsync();
        await app.StartAsync(ct);
        try
        {
            await WalkAsync(new Uri(baseUrl), masterKey, ct);
            return 0;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static async Task WalkAsync(Uri baseUrl, string masterKey, CancellationToken ct)
    {
        using var master = new HttpClient { BaseAddress = baseUrl };
        master.DefaultRequestHeaders.Authorization = new("Bearer", masterKey);
        var key = (await ReadAsync(await master.PostAsJsonAsync("/api/v1/auth/api-keys", new { name = "demo", scopes = Scopes }, ct), ct)).GetProperty("api_key").GetString();
        using var api = new HttpClient { BaseAddress = baseUrl };
        api.DefaultRequestHeaders.Authorization = new("Bearer", key);

        var buyer = await PostAsync(api, "/api/v1/users", new { external_user_id = "demo-buyer", type = "buyer" }, ct);
        var seller = await PostAsync(api, "/api/v1/users", new { external_user_id = "demo-seller", type = "seller" }, ct);
        await PrintAsync(api, "start", buyer, seller, ct);

        await PostAsync(api, $"/api/v1/users/{buyer}/airtm/link", new { airtm_email = "buyer@sim.airtm" }, ct);
        var topup = await PostJsonAsync(api, "/api/v1/topups", new
        {
            user_id = buyer, amount = "100.00", currency = "USD", return_url = "http://localhost/done", cancel_url = "http://localhost/cancel",
        }, ct);
        var payin = topup.GetProperty("provider_ref").GetProperty("airtm_payin_id").GetString();
        await ReadAsync(await api.PostAsJsonAsync($"/sim/airtm/_control/payins/{payin}/confirm", new { email = "buyer@sim.airtm" }, ct), ct);
        await WaitAsync(api, $"/api/v1/topups/{topup.GetProperty("id").GetString()}", "TOPUP_SUCCEEDED", ct);
        await PrintAsync(api, "top-up 100.00 succeeds (Airtm pay-in confirmed, signed callback)", buyer, seller, ct);

        var order = await PostAsync(api, "/api/v1/orders", new { buyer_id = buyer, seller_id = seller, amount = "80.00", currency = "USD", title = "Logo design" }, ct);
        await PostAsync(api, $"/api/v1/orders/{order}/reserve", new { amount = "80.00" }, ct);
        await PrintAsync(api, "order 80.00 reserved", buyer, seller, ct);

        await PostAsync(api, $"/api/v1/orders/{order}/escrow", new { }, ct);
        await PostAsync(api, $"/api/v1/orders/{order}/escrow/fund", new { }, ct);
        await PrintAsync(api, "escrow deployed and funded on Trustless Work (simulated signatures)", buyer, seller, ct);

        await PostAsync(api, $"/api/v1/orders/{order}/release", new { mode = "FULL" }, ct);
        await PrintAsync(api, "released to the seller", buyer, seller, ct);

        await PostAsync(api, $"/api/v1/users/{seller}/airtm/link", new { airtm_email = "seller@sim.airtm" }, ct);
        await PostAsync(api, "/api/v1/withdrawals", new { user_id = seller, amount = "80.00", currency = "USD", commit = true }, ct);
        await PrintAsync(api, "seller withdraws 80.00, completed", buyer, seller, ct);
    }

    private static async Task PrintAsync(HttpClient api, string step, string buyer, string seller, CancellationToken ct)
    {
        var b = await ReadAsync(await api.GetAsync($"/api/v1/users/{buyer}/balance", ct), ct);
        var s = await ReadAsync(await api.GetAsync($"/api/v1/users/{seller}/balance", ct), ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{step,-70} buyer available {b.GetProperty("available").GetString(),8}  reserved {b.GetProperty("reserved").GetString(),8}  seller available {s.GetProperty("available").GetString(),8}"));
    }

    private static async Task<string> PostAsync(HttpClient api, string path, object body, CancellationToken ct)
    {
        var result = await PostJsonAsync(api, path, body, ct);
        return result.TryGetProperty("id", out var id) ? id.GetString()! : string.Empty;
    }

    private static async Task<JsonElement> PostJsonAsync(HttpClient api, string path, object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await ReadAsync(await api.SendAsync(request, ct), ct);
    }

    private static async Task WaitAsync(HttpClient api, string path, string status, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await ReadAsync(await api.GetAsync(path, ct), ct)).GetProperty("status").GetString() != status)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{path} did not reach {status}");
            }

            await Task.Delay(50, ct);
        }
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri?.PathAndQuery}: {text}");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
