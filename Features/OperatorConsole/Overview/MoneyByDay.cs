using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.OperatorConsole.Overview;

/// <summary>Money by state per UTC day, read from the ledger: what came in by top-up, what the
/// escrows held at the end of the day, what was released to sellers, refunded to buyers, and paid
/// out by withdrawal.</summary>
public static class MoneyByDay
{
    public const long DayMs = 86_400_000;

    public static readonly string[] Series = ["Top-ups", "Escrow held", "Released", "Refunded", "Withdrawn"];

    public sealed record Query(int Days) : IQuery<Result>;

    /// <summary>One day's values in cents, in the order of <see cref="Series"/>.</summary>
    public sealed record Day(DateOnly Date, IReadOnlyList<long> Values);

    public sealed record Result(IReadOnlyList<Day> Days);

    public sealed class Handler(Db db, TimeProvider clock) : IQueryHandler<Query, Result>
    {
        private const string FlowsSql = """
            SELECT created_at / 86400000 AS day, reason, leg, CAST(SUM(amount) AS BIGINT) AS total
            FROM ledger_transfers WHERE created_at >= @since
            GROUP BY created_at / 86400000, reason, leg
            """;

        private const string EscrowBeforeSql = "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_entries WHERE account LIKE 'escrow:%' AND created_at < @since";

        private const string EscrowNetSql = """
            SELECT created_at / 86400000 AS day, CAST(SUM(amount) AS BIGINT) AS total
            FROM ledger_entries WHERE account LIKE 'escrow:%' AND created_at >= @since
            GROUP BY created_at / 86400000
            """;

        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var today = clock.NowMs() / DayMs;
            var first = today - query.Days + 1;
            var since = first * DayMs;
            var flows = await db.QueryAsync<Flow>(FlowsSql, new { since }, cancellationToken);
            var held = await db.ExecuteScalarAsync<long>(EscrowBeforeSql, new { since }, cancellationToken);
            var escrowNet = (await db.QueryAsync<Net>(EscrowNetSql, new { since }, cancellationToken)).ToDictionary(n => n.Day, n => n.Total);

            var days = new List<Day>();
            for (var day = first; day <= today; day++)
            {
                var ofDay = flows.Where(f => f.Day == day).ToList();
                held += escrowNet.GetValueOrDefault(day);
                days.Add(new Day(DateOnly.FromDateTime(DateTime.UnixEpoch.AddMilliseconds(day * DayMs)),
                [
                    ofDay.Where(f => f.Reason is "topup" or "sandbox_credit").Sum(f => f.Total),
                    held,
                    ofDay.Where(f => f.Reason == "escrow_release").Sum(f => f.Total),
                    ofDay.Where(f => f.Reason == "escrow_refund").Sum(f => f.Total),
                    ofDay.Where(f => f.Reason == "withdrawal" && f.Leg == "payout").Sum(f => f.Total),
                ]));
            }

            return new Result(days);
        }
    }

    // Classes, not records: Dapper maps them by name even when an empty result reports no column types.
    private sealed class Flow
    {
        public long Day { get; set; }

        public string Reason { get; set; } = string.Empty;

        public string Leg { get; set; } = string.Empty;

        public long Total { get; set; }
    }

    private sealed class Net
    {
        public long Day { get; set; }

        public long Total { get; set; }
    }
}
