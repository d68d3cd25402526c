using System.Globalization;
using System.Text.Json;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Providers.Airtm;
using OfferHub.Lite.Infrastructure.Webhooks;

namespace OfferHub.Lite.Features.SimulatedProviders.Airtm;

/// <summary>The simulator's Svix: every callback gets its own svix-id and is signed with the
/// webhook secret (Standard Webhooks) and POSTed to PUBLIC_BASE_URL/api/v1/webhooks/airtm.</summary>
public sealed class AirtmCallbacks(IHttpClientFactory clients, OfferHubOptions options, TimeProvider clock, ILogger<AirtmCallbacks> logger)
    : SimulatorCallbacks(clients, options, clock, logger)
{
    public const string ClientName = "airtm-simulator-callbacks";

    protected override string HttpClientName => ClientName;

    protected override string WebhookPath => "/api/v1/webhooks/airtm";

    public void Enqueue(string type, object data) =>
        Enqueue(new Callback("msg_" + Guid.NewGuid().ToString("N"), type, JsonSerializer.SerializeToUtf8Bytes(new { type, data }, AirtmJson.Options)));

    protected override void Sign(HttpRequestMessage request, Callback callback)
    {
        var timestamp = Clock.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add("svix-id", callback.Id);
        request.Headers.Add("svix-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("svix-signature", WebhookSignature.Sign(Options.Airtm.WebhookSecret!, callback.Id, timestamp, callback.Body));
    }
}
