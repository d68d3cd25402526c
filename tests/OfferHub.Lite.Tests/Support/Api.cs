using System.Net;

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

    public static async Task<string> CreateUserAsync(this HttpClient client, string type = "buyer", string? externalId = null)
    {
        var body = await (await client.PostNewAsync("/api/v1/users", new { external_user_id = externalId ?? "ext-" + Guid.NewGuid().ToString("N"), type }))
            .OkAsync(HttpStatusCode.Created);
        return body.Str("id");
    }
}
