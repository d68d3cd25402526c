using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Infrastructure.Database;

/// <summary>Small instance-wide values kept in the database so that every instance sees them.</summary>
public sealed class InstanceSettings(Database database, TimeProvider clock)
{
    public const string MarketplaceIdKey = "marketplace_id";

    private const string EnsureSql = "INSERT INTO instance_settings (key, value, updated_at) VALUES (@key, @value, @now) ON CONFLICT (key) DO NOTHING";
    private const string ReadSql = "SELECT value FROM instance_settings WHERE key = @key";

    /// <summary>Gives this instance its stable mkt_ id on first start.</summary>
    public async Task EnsureMarketplaceIdAsync(CancellationToken ct)
    {
        await using var db = new Db(database);
        await using var scope = db.BeginScope();
        await db.BeginAsync(ct);
        await db.ExecuteAsync(EnsureSql, new { key = MarketplaceIdKey, value = Ids.New("mkt"), now = clock.NowMs() }, ct);
        await scope.CompleteAsync();
    }

    public static Task<string?> ReadAsync(Db db, string key, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<string>(ReadSql, new { key }, ct);
}
