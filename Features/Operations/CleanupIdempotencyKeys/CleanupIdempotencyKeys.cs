using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Operations.CleanupIdempotencyKeys;

/// <summary>Deletes idempotency keys past their retention window (keys kept forever have none).</summary>
public static class CleanupIdempotencyKeys
{
    public sealed record Command : ICommand<int>;

    public sealed class Handler(Db db, TimeProvider clock) : ICommandHandler<Command, int>
    {
        private const string DeleteSql = "DELETE FROM idempotency_keys WHERE expires_at IS NOT NULL AND expires_at < @now";

        public async ValueTask<int> Handle(Command command, CancellationToken cancellationToken)
        {
            return await db.ExecuteAsync(DeleteSql, new { now = clock.NowMs() }, cancellationToken);
        }
    }
}
