using System.Text.Json;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Observability;

namespace OfferHub.Lite.Host.Observability;

/// <summary>The gauges whose truth is in the database (webhook backlog, outbox lag, dead letters,
/// the last ledger proof). They are read once per scrape, right before the exporter collects, so
/// a scrape shows the state at that moment; between scrapes nothing is queried. With several
/// instances each reports the same shared state: aggregate these with max(), not sum().</summary>
public sealed class StateGauges
{
    private const string PendingDeliveriesSql = "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'PENDING'";
    private const string FailedDeliveriesSql = "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'FAILED'";
    private const string OldestPendingSql = "SELECT MIN(created_at) FROM webhook_deliveries WHERE status = 'PENDING'";

    private const string NewestEventSql = "SELECT occurred_at FROM events ORDER BY id DESC LIMIT 1";
    private const string NewestPublishedSql = "SELECT occurred_at FROM events WHERE seq = (SELECT MAX(seq) FROM events)";
    private const string UnpublishedSql = "SELECT COUNT(*) FROM events WHERE seq IS NULL";
    private const string DeadLettersSql = "SELECT COUNT(*) FROM job_dead_letters WHERE retried_at IS NULL";
    private const string LedgerSql = "SELECT value FROM instance_settings WHERE key = 'ledger_check'";

    private static readonly Lock Gate = new();
    private static StateGauges? current;

    private readonly Infrastructure.Database.Database database;
    private readonly TimeProvider clock;
    private StateSnapshot snapshot = StateSnapshot.Empty;

    public StateGauges(Infrastructure.Database.Database database, TimeProvider clock)
    {
        this.database = database;
        this.clock = clock;
        lock (Gate)
        {
            // The meter is process-wide; the gauges read the app that was built last (one per process outside tests).
            if (current is null)
            {
                ProductMetrics.RegisterGauges(() => Volatile.Read(ref current)?.snapshot ?? StateSnapshot.Empty);
            }

            current = this;
        }
    }

    public StateSnapshot Snapshot => snapshot;

    public async Task RefreshAsync(CancellationToken ct)
    {
        lock (Gate)
        {
            current = this;
        }

        await using var db = new Db(database);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var pendingDeliveries = await db.ExecuteScalarAsync<long>(PendingDeliveriesSql, null, ct);
        var failedDeliveries = await db.ExecuteScalarAsync<long>(FailedDeliveriesSql, null, ct);
        var oldestPending = await db.ExecuteScalarAsync<long?>(OldestPendingSql, null, ct);
        var newest = await db.QuerySingleOrDefaultAsync<long?>(NewestEventSql, null, ct);
        var published = await db.QuerySingleOrDefaultAsync<long?>(NewestPublishedSql, null, ct);
        var unpublished = await db.ExecuteScalarAsync<long>(UnpublishedSql, null, ct);
        var deadLetters = await db.ExecuteScalarAsync<long>(DeadLettersSql, null, ct);
        var ledger = await db.QuerySingleOrDefaultAsync<string>(LedgerSql, null, ct);
        var (balanced, checkedAt) = LedgerProof(ledger);
        snapshot = new StateSnapshot(
            pendingDeliveries,
            failedDeliveries,
            oldestPending is { } oldest ? Math.Max(0, now - oldest) / 1000.0 : 0,
            unpublished == 0 || newest is null ? 0 : Math.Max(0, (published is { } last ? newest.Value - last : now - newest.Value)) / 1000.0,
            unpublished,
            deadLetters,
            balanced,
            checkedAt);
    }

    private static (long Balanced, double CheckedAtSeconds) LedgerProof(string? json)
    {
        if (json is null)
        {
            return (-1, 0);
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var balanced = root.TryGetProperty("balanced", out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? (value.GetBoolean() ? 1 : 0) : -1;
        var checkedAt = root.TryGetProperty("checked_at", out var at) && at.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(at.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var when)
            ? when.ToUnixTimeMilliseconds() / 1000.0
            : 0;
        return (balanced, checkedAt);
    }
}
