using System.Net;
using System.Text.Json;

namespace OfferHub.Lite.Tests.Support;

/// <summary>Airtm steps through the public API and the simulator's controls.</summary>
public static class Airtm
{
    public const string Control = "/sim/airtm/_control";

    /// <summary>Gives the user an Airtm account of their own at the simulator and links it.</summary>
    public static async Task<string> LinkAirtmAsync(this HttpClient client, string userId)
    {
        var email = $"{userId}@sim.airtm";
        await (await client.PostAsync($"{Control}/users", new { email })).OkAsync();
        await (await client.PostNewAsync($"/api/v1/users/{userId}/airtm/link", new { airtm_email = email })).OkAsync();
        return email;
    }

    public static async Task<JsonElement> CreateTopupAsync(this HttpClient client, string userId, string amount) =>
        await (await client.PostNewAsync("/api/v1/topups", new
        {
            user_id = userId,
            amount,
            currency = "USD",
            return_url = "https://marketplace.example/return",
            cancel_url = "https://marketplace.example/cancel",
        })).OkAsync(HttpStatusCode.Created);

    public static string PayinId(this JsonElement topup) => topup.GetProperty("provider_ref").Str("airtm_payin_id");

    /// <summary>Real money in: link (when needed), top up, the payer confirms at the simulator, and
    /// the signed callback credits the user.</summary>
    public static async Task TopUpAsync(this HttpClient client, string userId, string amount)
    {
        var user = await (await client.GetAsync($"/api/v1/users/{userId}")).OkAsync();
        var email = user.GetProperty("airtm_email").GetString() ?? await client.LinkAirtmAsync(userId);
        var topup = await client.CreateTopupAsync(userId, amount);
        await (await client.PostAsync($"{Control}/payins/{topup.PayinId()}/confirm", new { email })).OkAsync();
        await client.WaitForStatusAsync($"/api/v1/topups/{topup.Str("id")}", "TOPUP_SUCCEEDED");
    }

    /// <summary>Polls the resource until it reaches the status, within a deadline.</summary>
    public static Task<JsonElement> WaitForStatusAsync(this HttpClient client, string path, string status, int timeoutMs = 15_000) =>
        Eventually.UntilAsync(async () => await (await client.GetAsync(path)).OkAsync(), r => r.Str("status") == status,
            r => $"{path} stayed {r.Str("status")}, expected {status}", timeoutMs);

    /// <summary>Waits until the simulator has no callback queued or in flight.</summary>
    public static Task CallbacksSettledAsync(this HttpClient client, int timeoutMs = 15_000) =>
        client.SettledAsync($"{Control}/callbacks/pending", "the simulator's callbacks did not settle", timeoutMs);

    /// <summary>Waits until a simulator reports nothing queued or in flight at <paramref name="pendingPath"/>.</summary>
    public static Task SettledAsync(this HttpClient client, string pendingPath, string failure, int timeoutMs = 15_000) =>
        Eventually.UntilAsync(async () => (await (await client.GetAsync(pendingPath)).OkAsync()).GetProperty("pending").GetInt32(), n => n == 0, _ => failure, timeoutMs);
}
