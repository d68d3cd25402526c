using Mediator;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Primitives;
using Quartz;

namespace OfferHub.Lite.Infrastructure.Jobs;

/// <summary>The one Quartz job type: runs a catalog job's command in a scope of its own and logs
/// the run. A failed run is tried again with doubling waits; after the last try it goes to the
/// dead-letter table (CLI: jobs dead, jobs retry).</summary>
[DisallowConcurrentExecution]
public sealed partial class CommandJob(IServiceScopeFactory scopes, JobCatalog catalog, Database.Database database, OfferHubOptions options, TimeProvider clock, ILogger<CommandJob> logger) : IJob
{
    public const string NameKey = "job";
    public const string AttemptKey = "attempt";

    private const string RunSql = """
        INSERT INTO job_runs (id, job, attempt, scheduled_at, instance, status, summary, error, started_at, finished_at)
        VALUES (@id, @job, @attempt, @scheduledAt, @instance, @status, @summary, @error, @started, @finished)
        """;

    private const string DeadSql = "INSERT INTO job_dead_letters (id, job, attempts, error, failed_at) VALUES (@id, @job, @attempts, @error, @now)";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var name = context.MergedJobDataMap.GetString(NameKey)!;
        var attempt = context.MergedJobDataMap.TryGetValue(AttemptKey, out var raw) && raw is int n ? n : 1;
        var definition = catalog.Find(name)!;
        var started = clock.NowMs();
        // Quartz's own span (Quartz.Job.Execute) is current; the resources the run acts on tag it through the outbox.
        System.Diagnostics.Activity.Current?.SetTag("offerhub.job", name);

        try
        {
            var summary = await RunOnceAsync(scopes, definition, cancellationToken);
            await RecordAsync(context, name, attempt, "SUCCEEDED", summary, null, started);
            Observability.ProductMetrics.JobRun(name, "succeeded");
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            var error = failure.Message.Length > 500 ? failure.Message[..500] : failure.Message;
            await RecordAsync(context, name, attempt, "FAILED", null, error, started);
            Observability.ProductMetrics.JobRun(name, "failed");
            if (attempt < options.Jobs.MaxAttempts)
            {
                var wait = TimeSpan.FromSeconds(options.Jobs.RetryBaseSeconds * Math.Pow(2, attempt - 1));
                LogRetry(name, attempt, wait.TotalSeconds, error);
                await context.Scheduler.ScheduleJob(TriggerBuilder.Create()
                    .ForJob(context.JobDetail.Key)
                    .UsingJobData(AttemptKey, attempt + 1)
                    .StartAt(DateTimeOffset.UtcNow + wait)
                    .Build(), cancellationToken: cancellationToken);
            }
            else
            {
                LogDead(name, attempt, error);
                await WriteAsync(DeadSql, new { id = Ids.New("jdl"), job = name, attempts = attempt, error, now = clock.NowMs() });
                Observability.ProductMetrics.JobDeadLettered(name);
            }
        }
    }

    /// <summary>One run of a job's command as the system actor (also what `jobs retry` does).</summary>
    public static async Task<string> RunOnceAsync(IServiceScopeFactory scopes, JobDefinition definition, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<RequestContext>().Actor = new Actor("system", "job:" + definition.Name);
        return await definition.Run(scope.ServiceProvider.GetRequiredService<ISender>(), ct);
    }

    private Task<int> RecordAsync(IJobExecutionContext context, string job, int attempt, string status, string? summary, string? error, long started) =>
        WriteAsync(RunSql, new
        {
            id = Ids.New("jrn"),
            job,
            attempt,
            scheduledAt = (context.ScheduledFireTimeUtc ?? context.FireTimeUtc).ToUnixTimeMilliseconds(),
            instance = context.Scheduler.SchedulerInstanceId,
            status,
            summary,
            error,
            started,
            finished = clock.NowMs(),
        });

    private async Task<int> WriteAsync(string sql, object args)
    {
        await using var db = new Db(database);
        await using var unit = db.BeginScope();
        var written = await db.ExecuteAsync(sql, args, CancellationToken.None);
        await unit.CompleteAsync();
        return written;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} failed on try {Attempt}; trying again in {Seconds:F0} s: {Error}")]
    private partial void LogRetry(string job, int attempt, double seconds, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job} failed on its last try ({Attempt}); moved to the dead-letter table: {Error}")]
    private partial void LogDead(string job, int attempt, string error);
}

/// <summary>Schedules the catalog's jobs once the options are known (the Quartz hosted service then runs them).
/// Periods start on wall-clock boundaries; with the clustered store the first instance to start stores the schedule.</summary>
public sealed class JobSchedule(ISchedulerFactory schedulers, JobCatalog catalog, OfferHubOptions options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Jobs.Enabled)
        {
            return;
        }

        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var job in catalog.All)
        {
            var key = new JobKey(job.Name, "offerhub");
            var detail = JobBuilder.Create<CommandJob>().WithIdentity(key).UsingJobData(CommandJob.NameKey, job.Name).StoreDurably().Build();
            var trigger = TriggerBuilder.Create()
                .WithIdentity(job.Name, "offerhub")
                .StartAt(NextBoundary(job.EverySeconds(options)))
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(job.EverySeconds(options))).RepeatForever())
                .Build();
            if (await scheduler.Exists(key, cancellationToken))
            {
                continue;
            }

            try
            {
                await scheduler.ScheduleJob(detail, trigger, cancellationToken: cancellationToken);
            }
            catch (ObjectAlreadyExistsException)
            {
                // Another instance of the cluster stored it first.
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static DateTimeOffset NextBoundary(int seconds)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var period = seconds * 1000L;
        return DateTimeOffset.FromUnixTimeMilliseconds(((now / period) + 1) * period);
    }
}
