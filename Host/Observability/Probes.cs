using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Host.Observability;

/// <summary>Probes for orchestrators and load balancers, beside the /health document:
/// /api/v1/health/live answers 200 while the process serves HTTP (it touches nothing else);
/// /api/v1/health/ready answers 200 only when the database answers, every migration is applied
/// and the process is not shutting down, else 503 naming the failing check.</summary>
public static class Probes
{
    public const string LivePath = ApiRoutes.BasePath + "/health/live";
    public const string ReadyPath = ApiRoutes.BasePath + "/health/ready";

    public static void MapOfferHubProbes(this WebApplication app)
    {
        app.MapGet(LivePath, () => TypedResults.Json(new { status = "live" }, ApiJson.Options))
            .AllowWithoutToken().ExcludeFromDescription();
        app.MapGet(ReadyPath, async (Readiness readiness, CancellationToken ct) =>
            {
                var report = await readiness.CheckAsync(ct);
                return TypedResults.Json(report, ApiJson.Options, statusCode: report.Status == "ready" ? 200 : 503);
            })
            .AllowWithoutToken().ExcludeFromDescription();
    }
}

public sealed record ReadinessReport(string Status, IReadOnlyDictionary<string, string> Checks);

/// <summary>The readiness checks. Migrations, once found applied, stay applied for the life of the process.</summary>
public sealed class Readiness(Infrastructure.Database.Database database, Migrator migrator, IHostApplicationLifetime lifetime)
{
    private volatile bool migrated;

    public async Task<ReadinessReport> CheckAsync(CancellationToken ct)
    {
        var checks = new Dictionary<string, string>
        {
            ["shutdown"] = lifetime.ApplicationStopping.IsCancellationRequested ? "stopping" : "ok",
            ["database"] = await DatabaseAsync(ct),
        };
        checks["migrations"] = checks["database"] == "ok" ? await MigrationsAsync() : "unknown";
        return new ReadinessReport(checks.Values.All(v => v == "ok") ? "ready" : "not_ready", checks);
    }

    private async Task<string> DatabaseAsync(CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var db = new Db(database);
            return await db.ExecuteScalarAsync<long>("SELECT 1", null, timeout.Token) == 1 ? "ok" : "error";
        }
        catch (Exception failure) when (failure is System.Data.Common.DbException or OperationCanceledException or TimeoutException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            return "unreachable";
        }
    }

    private async Task<string> MigrationsAsync()
    {
        if (migrated)
        {
            return "ok";
        }

        var pending = await Task.Run(migrator.Pending);
        migrated = pending.Count == 0;
        return migrated ? "ok" : "pending";
    }
}
