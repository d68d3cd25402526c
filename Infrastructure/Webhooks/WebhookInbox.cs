using System.Security.Cryptography;
using OfferHub.Lite.Infrastructure.Audit;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.Webhooks;

/// <summary>Provider callbacks, once each: the (provider, event id) row under its unique key, and the
/// WEBHOOK_RECEIVED audit row with a hash of the body (never the body), in the caller's transaction.</summary>
public sealed class WebhookInbox(Db db, AuditLog audit, TimeProvider clock)
{
    private const string RecordSql = """
        INSERT INTO provider_webhooks (provider, event_id, type, body_sha256, received_at)
        VALUES (@provider, @eventId, @type, @hash, @now) ON CONFLICT (provider, event_id) DO NOTHING
        """;

    /// <summary>A callback as it came in; <see cref="RecordAsync"/> says whether it is new.</summary>
    public sealed record Received(string Provider, string EventId, string Type, string BodySha256);

    /// <summary>Records the callback; null when this provider already sent this event id.</summary>
    public async Task<Received?> RecordAsync(string provider, string eventId, string type, byte[] body, CancellationToken ct)
    {
        var received = new Received(provider, eventId, type, Convert.ToHexStringLower(SHA256.HashData(body)));
        var inserted = await db.ExecuteAsync(RecordSql, new { provider, eventId, type, hash = received.BodySha256, now = clock.NowMs() }, ct);
        return inserted == 1 ? received : null;
    }

    /// <summary>The WEBHOOK_RECEIVED row, naming the resource the callback concerned (when known).</summary>
    public Task AuditAsync(Received received, string? resourceType, string? resourceId, string? providerRef, CancellationToken ct) =>
        audit.WriteAsync(new AuditEntry("WEBHOOK_RECEIVED", resourceType, resourceId, Success: true,
            After: new { provider = received.Provider, event_id = received.EventId, type = received.Type, body_sha256 = received.BodySha256 },
            ProviderRef: providerRef), ct);
}
