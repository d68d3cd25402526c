using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Providers.Airtm;

namespace OfferHub.Lite.Features.Instance.GetHealth;

public static class GetHealth
{
    public sealed record Query : IQuery<Result>;

    public sealed record Result(string Status, string Version, IReadOnlyDictionary<string, string> Checks, DateTimeOffset Timestamp);

    public sealed class Handler(Db db, Infrastructure.Events.EventBus bus, AirtmClient airtm, Infrastructure.Providers.TrustlessWork.TrustlessClient trustless,
        Infrastructure.Webhooks.WebhookAnomalies anomalies, TimeProvider clock, ILogger<Handler> logger) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var database = await CheckDatabaseAsync(cancellationToken);
            var checks = new Dictionary<string, string>
            {
                ["database"] = database,
                ["redis"] = bus.RedisStatus,
                ["airtm"] = await airtm.CheckAsync(cancellationToken),
                ["trustless_work"] = await trustless.CheckAsync(cancellationToken),
                ["ledger"] = await LedgerStatusAsync(cancellationToken),
                ["webhooks"] = database == "ok" ? await WebhookStatusAsync(cancellationToken) : "unreachable",
            };
            var status = database != "ok" ? "unhealthy" : checks.Values.All(v => v is "ok" or "disabled" or "not_checked") ? "healthy" : "degraded";
            return new Result(status, VersionInfo.Current, checks, clock.GetUtcNow());
        }

        private const string LedgerCheckSql = "SELECT value FROM instance_settings WHERE key = 'ledger_check'";

        /// <summary>The last ledger proof: ok, mismatch (degraded until a person fixes it), or not_checked.</summary>
        private async Task<string> LedgerStatusAsync(CancellationToken ct)
        {
            try
            {
                return await db.QuerySingleOrDefaultAsync<string>(LedgerCheckSql, null, ct) is { } json
                    ? System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("balanced").GetBoolean() ? "ok" : "mismatch"
                    : "not_checked";
            }
            catch (System.Data.Common.DbException)
            {
                return "unreachable";
            }
        }

        /// <summary>ok, or how many signed callbacks did not fit in the last day (degraded: a person should look).</summary>
        private async Task<string> WebhookStatusAsync(CancellationToken ct) =>
            await anomalies.CountRecentAsync(ct) is var count and > 0 ? $"{count} anomalies in 24h" : "ok";

        private async Task<string> CheckDatabaseAsync(CancellationToken ct)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                return await db.ExecuteScalarAsync<long>("SELECT 1", null, timeout.Token) == 1 ? "ok" : "error";
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogError(exception, "Health check: database unreachable");
                return "unreachable";
            }
        }
    }
}
