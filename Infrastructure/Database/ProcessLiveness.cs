using System.Globalization;
using OfferHub.Lite.Infrastructure.Configuration;

namespace OfferHub.Lite.Infrastructure.Database;

/// <summary>Which server processes are alive, so that work a dead one held (an Idempotency-Key in
/// progress, an escrow operation's lease) is taken over within seconds instead of when its lock
/// times out. Each process beats every two seconds in instance_settings ("process:{id}"), and
/// the tokens it locks with begin with its id; a holder that has not beaten for
/// ProcessDeadAfterSeconds (15 by default) is gone. Wall-clock time, not the app's clock:
/// liveness is about real processes.</summary>
public sealed class ProcessLiveness(IServiceScopeFactory scopes, ILogger<ProcessLiveness> logger) : BackgroundService
{
    /// <summary>This process, for as long as it runs: 16 characters.</summary>
    public static string Id { get; } = Guid.NewGuid().ToString("N")[..16];

    public static readonly TimeSpan Beat = TimeSpan.FromSeconds(2);

    private const string BeatSql = """
        INSERT INTO instance_settings (key, value, updated_at) VALUES (@key, @value, @now)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
        """;

    private const string PruneSql = "DELETE FROM instance_settings WHERE key LIKE 'process:%' AND updated_at < @before";

    /// <summary>SQL that is true when the process holding <paramref name="tokenColumn"/> is gone;
    /// bind the parameters of <see cref="Parameters"/>. A lock of this process is never gone (it
    /// is alive by definition, even when its own beat is late). Values are zero-padded, so text
    /// order is time order.</summary>
    public static string HolderGoneSql(string tokenColumn) =>
        $"(substr({tokenColumn}, 1, 16) <> @selfProcess AND NOT EXISTS (SELECT 1 FROM instance_settings WHERE key = 'process:' || substr({tokenColumn}, 1, 16) AND value > @aliveSince))";

    /// <summary>A lock token owned by this process: 32 characters (the token columns hold 40).</summary>
    public static string NewToken() => Id + Guid.NewGuid().ToString("N")[..16];

    /// <summary>@aliveSince and @selfProcess for <see cref="HolderGoneSql"/>.</summary>
    public static (string AliveSince, string Self) Parameters(OfferHubOptions options) =>
        (Stamp(DateTimeOffset.UtcNow - TimeSpan.FromSeconds(options.ProcessDeadAfterSeconds)), Id);

    /// <summary>The first beat before the process serves anything, so that no live lock of it is
    /// ever mistaken for a dead one.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await BeatAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Process heartbeat failed; will retry");
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Beat);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await BeatAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Process heartbeat failed; will retry");
            }
        }
    }

    private async Task BeatAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Db>();
        var now = DateTimeOffset.UtcNow;
        await using var unit = db.BeginScope();
        await db.ExecuteAsync(BeatSql, new { key = "process:" + Id, value = Stamp(now), now = now.ToUnixTimeMilliseconds() }, ct);
        await db.ExecuteAsync(PruneSql, new { before = (now - TimeSpan.FromHours(1)).ToUnixTimeMilliseconds() }, ct);
        await unit.CompleteAsync();
    }

    private static string Stamp(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString("D15", CultureInfo.InvariantCulture);
}
