using Mediator;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Jobs;

namespace OfferHub.Lite.Features.Operations.ListJobs;

/// <summary>The scheduled jobs, their period and their latest run (CLI `jobs list`, the console's
/// operations page).</summary>
public static class ListJobs
{
    public sealed record Query : IQuery<IReadOnlyList<JobStatus>>;

    public sealed record JobStatus(string Name, int EverySeconds, JobRun? LastRun);

    public sealed record JobRun(string Job, long Attempt, string Status, string? Summary, string? Error, long FinishedAt);

    public sealed class Handler(Db db, JobCatalog catalog, OfferHubOptions options) : IQueryHandler<Query, IReadOnlyList<JobStatus>>
    {
        private const string LastRunSql = "SELECT job, attempt, status, summary, error, finished_at FROM job_runs WHERE job = @job ORDER BY finished_at DESC LIMIT 1";

        public async ValueTask<IReadOnlyList<JobStatus>> Handle(Query query, CancellationToken cancellationToken)
        {
            var jobs = new List<JobStatus>(catalog.All.Count);
            foreach (var job in catalog.All)
            {
                var last = await db.QuerySingleOrDefaultAsync<JobRun>(LastRunSql, new { job = job.Name }, cancellationToken);
                jobs.Add(new JobStatus(job.Name, job.EverySeconds(options), last));
            }

            return jobs;
        }
    }
}
