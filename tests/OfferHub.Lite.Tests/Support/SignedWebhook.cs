using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OfferHub.Lite.Infrastructure.Configuration;

namespace OfferHub.Lite.Tests.Support;

/// <summary>Sends a callback the way Svix does, signed by this test's own implementation of the
/// Standard Webhooks scheme (not the app's), so that the app's verifier is checked against it.</summary>
public static class SignedWebhook
{
    public static string AirtmSecret(this TestApp app) => app.Services.GetRequiredService<OfferHubOptions>().Airtm.WebhookSecret!;

    public static Task<HttpResponseMessage> SendAirtmWebhookAsync(this TestApp app, string id, string body, string? secret = null, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? app.Clock.GetUtcNow()).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var key = Convert.FromBase64String((secret ?? app.AirtmSecret())["whsec_".Length..]);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks/airtm") { Content = Http.RawContent(body, "application/json") };
        request.Headers.Add("svix-id", id);
        request.Headers.Add("svix-timestamp", timestamp);
        request.Headers.Add("svix-signature", "v1,bm90LXRoZS1yaWdodC1vbmU= v1," + signature);
        return app.Client().SendAsync(request);
    }
}
