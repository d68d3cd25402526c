using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Jobs;

namespace OfferHub.Lite.Features.Escrow.ResumeOperations;

/// <summary>Escrow operations whose process died mid-step (their lease still set, its holder gone
/// or its time up) are resumed on start-up and then every few seconds, by whichever instance
/// sees them first; the engine's lease makes sure only one runs each. Operations merely waiting
/// (for a client's signature, for Trustless Work's confirmation) hold no lease and are left be.</summary>
public sealed partial class ResumeOperations(IServiceScopeFactory scopes, OfferHubOptions options, TimeProvider clock, ILogger<ResumeOperations> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    private static readonly string AbandonedSql = $"""
        SELECT id FROM escrow_operations
        WHERE status = 'RUNNING' AND lease_token IS NOT NULL AND (lease_until < @now OR {ProcessLiveness.HolderGoneSql("lease_token")})
        ORDER BY id LIMIT 50
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await ResumeAbandonedAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Resuming interrupted escrow operations failed; will retry");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ResumeAbandonedAsync(CancellationToken ct)
    {
        IReadOnlyList<string> abandoned;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var (aliveSince, selfProcess) = ProcessLiveness.Parameters(options);
            abandoned = await scope.ServiceProvider.GetRequiredService<Db>().QueryAsync<string>(AbandonedSql,
                new { now = clock.GetUtcNow().ToUnixTimeMilliseconds(), aliveSince, selfProcess }, ct);
        }

        foreach (var id in abandoned)
        {
            LogResuming(id);
            var outcome = await SubCommands.RunAsync(scopes, "resume", async (_, services) =>
                (await services.GetRequiredService<EscrowEngine>().AdvanceAsync(id, ct)).Status);
            if (outcome.Error is { } error)
            {
                LogFailed(id, error);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resuming escrow operation {OperationId}, interrupted when its process died")]
    private partial void LogResuming(string operationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escrow operation {OperationId} could not be resumed yet: {Error}")]
    private partial void LogFailed(string operationId, string error);
}
