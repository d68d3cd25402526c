using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Providers.Simulation;

namespace OfferHub.Lite.Infrastructure.Providers.TrustlessWork.Simulator;

/// <summary>The notifications an indexer/relay would send for confirmed escrow transactions:
/// {event_id, type, data}, signed with TW-Signature = hex HMAC-SHA256 of the raw body.</summary>
public sealed class TrustlessCallbacks(IHttpClientFactory clients, OfferHubOptions options, TimeProvider clock, ILogger<TrustlessCallbacks> logger)
    : SimulatorCallbacks(clients, options, clock, logger)
{
    public const string ClientName = "trustless-simulator-callbacks";

    protected override string HttpClientName => ClientName;

    protected override string WebhookPath => "/api/v1/webhooks/trustless-work";

    public void Enqueue(string type, object data)
    {
        var id = "twe_" + Guid.NewGuid().ToString("N");
        Enqueue(new Callback(id, type, JsonSerializer.SerializeToUtf8Bytes(new { event_id = id, type, data })));
    }

    protected override void Sign(HttpRequestMessage request, Callback callback) =>
        request.Headers.Add("TW-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Options.Trustless.WebhookSecret!), callback.Body)));
}
