using System.Security.Cryptography;
using System.Text.Json;
using OfferHub.Lite.Infrastructure.Audit;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.Providers;

namespace OfferHub.Lite.Infrastructure.Webhooks;

/// <summary>Validly signed callbacks that do not fit what we hold (a pay-in of another top-up, an
/// amount that differs, a field of the wrong type). The provider meant it, so retrying it for
/// days changes nothing: it is acknowledged, nothing of it is applied, and it is kept as a
/// WEBHOOK_ANOMALY audit row for a person, counted by /health and listed by reconciliation.</summary>
public sealed partial class WebhookAnomalies(Db db, AuditLog audit, TimeProvider clock, ILogger<WebhookAnomalies> logger)
{
    public const string Action = "WEBHOOK_ANOMALY";

    private const string SinceSql = """
        SELECT id, occurred_at, actor_id AS provider, error_code, error_message, after_state
        FROM audit_logs WHERE action = 'WEBHOOK_ANOMALY' AND occurred_at >= @since ORDER BY occurred_at DESC, id DESC LIMIT 100
        """;

    private const string CountSql = "SELECT COUNT(*) FROM audit_logs WHERE action = 'WEBHOOK_ANOMALY' AND occurred_at >= @since";

    /// <summary>How far back /health and reconciliation look.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public sealed record Anomaly(string Id, long OccurredAt, string? Provider, string? ErrorCode, string? ErrorMessage, string? AfterState);

    /// <summary>Whether a failure while applying a verified callback means that the callback does
    /// not fit (an anomaly) rather than that we failed (worth the provider's retry).</summary>
    public static bool IsMisfit(Exception exception) =>
        exception is ProviderException { Transient: false } or JsonException or FormatException or KeyNotFoundException or InvalidCastException
            // JsonElement's accessors on a value of another kind.
            || (exception is InvalidOperationException && exception.TargetSite?.DeclaringType?.Assembly == typeof(JsonElement).Assembly);

    /// <summary>Records the anomaly in a transaction of its own (the callback's was rolled back).</summary>
    public async Task RecordAsync(string provider, byte[] body, Exception misfit, CancellationToken ct)
    {
        var code = (misfit as ApiException)?.Code ?? "WEBHOOK_PAYLOAD_INVALID";
        LogAnomaly(provider, code, misfit.Message);
        await using var scope = db.BeginScope();
        await audit.WriteAsync(new AuditEntry(Action, "webhook", null, Success: false, ErrorCode: code, ErrorMessage: misfit.Message,
            After: new { provider, body_sha256 = Convert.ToHexStringLower(SHA256.HashData(body)) }), ct);
        await scope.CompleteAsync();
    }

    public Task<IReadOnlyList<Anomaly>> RecentAsync(CancellationToken ct) =>
        db.QueryAsync<Anomaly>(SinceSql, new { since = Since() }, ct);

    public Task<long> CountRecentAsync(CancellationToken ct) =>
        db.ExecuteScalarAsync<long>(CountSql, new { since = Since() }, ct);

    private long Since() => clock.NowMs() - (long)Window.TotalMilliseconds;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signed {Provider} callback does not fit ({Code}: {Reason}); acknowledged, nothing applied")]
    private partial void LogAnomaly(string provider, string code, string reason);
}
