using Mediator;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Operations.PruneEvents;

/// <summary>Event retention (events.md: 30 days by default): events older than the window go, with
/// their webhook deliveries and attempts, unless a delivery of theirs is still pending. A stream
/// resuming from a pruned cursor carries on after the oldest event kept. The newest numbered
/// event always stays: new events are numbered after the highest number stored, and were it
/// gone, numbers would start again below the cursors consumers hold.</summary>
public static class PruneEvents
{
    public sealed record Command : ICommand<int>;

    public sealed class Handler(Db db, OfferHubOptions options, TimeProvider clock) : ICommandHandler<Command, int>
    {
        private const string Doomed = """
            SELECT e.id FROM events e
            WHERE e.occurred_at < @before
              AND e.seq < @highest
              AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'PENDING')
            """;

        private static readonly string[] Statements =
        [
            $"DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE event_id IN ({Doomed}))",
            $"DELETE FROM webhook_deliveries WHERE event_id IN ({Doomed})",
            $"DELETE FROM event_users WHERE event_id IN ({Doomed})",
        ];

        private const string DeleteEventsSql = $"DELETE FROM events WHERE id IN ({Doomed})";

        private const string HighestSql = "SELECT COALESCE(MAX(seq), 0) FROM events";

        public async ValueTask<int> Handle(Command command, CancellationToken cancellationToken)
        {
            // Read once, so that every statement deletes the same events.
            var doomed = new
            {
                before = clock.NowMs() - (options.Events.RetentionDays * 86_400_000L),
                highest = await db.ExecuteScalarAsync<long>(HighestSql, null, cancellationToken),
            };
            foreach (var statement in Statements)
            {
                await db.ExecuteAsync(statement, doomed, cancellationToken);
            }

            return await db.ExecuteAsync(DeleteEventsSql, doomed, cancellationToken);
        }
    }
}
