using System.Text.Json;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Features.Maintenance;

/// <summary>The maintenance switch, stored in the database so that every instance shares it.</summary>
public sealed record MaintenanceState(bool Enabled, string? Message, DateTimeOffset? Since)
{
    public const string Key = "maintenance";
    public static readonly MaintenanceState Off = new(false, null, null);

    private const string ReadSql = "SELECT value FROM instance_settings WHERE key = 'maintenance'";

    public static async Task<MaintenanceState> ReadAsync(Db db, CancellationToken ct) =>
        await db.QuerySingleOrDefaultAsync<string>(ReadSql, null, ct) is { } json
            ? JsonSerializer.Deserialize<MaintenanceState>(json) ?? Off
            : Off;
}
