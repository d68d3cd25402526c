using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OfferHub.Lite.Infrastructure.Configuration;

namespace OfferHub.Lite.Features.SimulatedProviders.TrustlessWork;

/// <summary>The notifications an indexer or relay run by the operator could send for confirmed
/// escrow transactions (our own format; Trustless Work sends none): {event_id, type, data}, signed
/// with TW-Signature = hex HMAC-SHA256 of the raw body.</summary>
public sealed class TrustlessCallbacks(IHttpClientFactory clients, OfferHubOptions options, TimeProvider clock, ILogger<TrustlessCallbacks> logger)
    : SimulatorCallbacks(clients, options, clock, logger)
{
    public const string ClientName = "trustless-simulator-callbacks";

    protected override string HttpClientName => ClientName;

    protected override string WebhookPath => "/api/v1/webhooks/trustless-work";

    /// <summary>Whether notifications are sent at all: off unless a test switches them on.</summary>
    public bool Enabled { get; set; }

    public void Enqueue(string type, object data)
    {
        if (!Enabled || Options.Trustless.WebhookSecret is null)
        {
            return;
        }

        var id = "twe_" + Guid.NewGuid().ToString("N");
        Enqueue(new Callback(id, type, JsonSerializer.SerializeToUtf8Bytes(new { event_id = id, type, data })));
    }

    protected override void Sign(HttpRequestMessage request, Callback callback) =>
        request.Headers.Add("TW-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Options.Trustless.WebhookSecret!), callback.Body)));
}
