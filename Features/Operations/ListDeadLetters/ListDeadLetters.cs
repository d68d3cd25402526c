using Mediator;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Features.Operations.ListDeadLetters;

/// <summary>Job runs that failed every try, newest first (CLI `jobs dead`, the console's operations page).</summary>
public static class ListDeadLetters
{
    public sealed record Query : IQuery<IReadOnlyList<DeadLetter>>;

    public sealed record DeadLetter(string Id, string Job, long Attempts, string Error, long FailedAt, long? RetriedAt);

    public sealed class Handler(Db db) : IQueryHandler<Query, IReadOnlyList<DeadLetter>>
    {
        private const string Sql = "SELECT id, job, attempts, error, failed_at, retried_at FROM job_dead_letters ORDER BY id DESC LIMIT 200";

        public async ValueTask<IReadOnlyList<DeadLetter>> Handle(Query query, CancellationToken cancellationToken) =>
            await db.QueryAsync<DeadLetter>(Sql, null, cancellationToken);
    }
}
