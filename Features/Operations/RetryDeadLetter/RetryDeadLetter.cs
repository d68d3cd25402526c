using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Jobs;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Operations.RetryDeadLetter;

/// <summary>Runs a dead-lettered job again now, in a scope of its own as the job runs normally, and
/// marks the letter retried when that run succeeds (CLI `jobs retry`, the console's retry button).</summary>
public static class RetryDeadLetter
{
    public sealed record Command(string Id) : ICommand<Result>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "JOB_RETRY";

        string IAuditedCommand.AuditResourceType => "job_dead_letter";

        string? IAuditedCommand.AuditResourceId => Id;
    }

    public sealed record Result(string Id, string Job, string Summary) : IHasId;

    public sealed class Handler(Db db, JobCatalog catalog, IServiceScopeFactory scopes, TimeProvider clock) : ICommandHandler<Command, Result>
    {
        private const string FindSql = "SELECT job FROM job_dead_letters WHERE id = @id";
        private const string RetriedSql = "UPDATE job_dead_letters SET retried_at = @now WHERE id = @id";

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var job = await db.QuerySingleOrDefaultAsync<string>(FindSql, new { id = command.Id }, cancellationToken)
                ?? throw ApiErrors.NotFound(ApiErrors.NotFoundCode, "Dead letter", command.Id);
            var definition = catalog.Find(job) ?? throw new ApiException(409, ApiErrors.NotFoundCode, $"The job '{job}' no longer exists");
            var summary = await CommandJob.RunOnceAsync(scopes, definition, cancellationToken);
            await db.ExecuteAsync(RetriedSql, new { id = command.Id, now = clock.NowMs() }, cancellationToken);
            return new Result(command.Id, job, summary);
        }
    }
}
