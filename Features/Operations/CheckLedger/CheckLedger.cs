using System.Text.Json;
using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Ledger;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Operations.CheckLedger;

/// <summary>The ledger proof: every balance row equals the sum of its entries and everything sums
/// to zero. A mismatch is logged as critical and kept for /health; nothing is "fixed": a person
/// must look at it.</summary>
public static partial class CheckLedger
{
    public const string SettingKey = "ledger_check";

    public sealed record Command : ICommand<Result>, IBeginsAtFirstWrite;

    public sealed record Result(bool Balanced, long Total, IReadOnlyList<LedgerMismatch> Mismatches, IReadOnlyList<string> NegativeAccounts, DateTimeOffset CheckedAt);

    public sealed partial class Handler(Db db, LedgerVerifier verifier, TimeProvider clock, ILogger<Handler> logger) : ICommandHandler<Command, Result>
    {
        private const string UpsertSql = """
            INSERT INTO instance_settings (key, value, updated_at) VALUES ('ledger_check', @value, @now)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """;

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var report = await verifier.VerifyAsync(cancellationToken);
            var result = new Result(report.Balanced, report.Total, report.Mismatches, report.NegativeAccounts, clock.GetUtcNow());
            if (!report.Balanced)
            {
                LogMismatch(report.Total, report.Mismatches.Count, string.Join(", ", report.Mismatches.Take(10).Select(m => $"{m.Account}: {m.Balance} vs {m.EntriesTotal}")));
            }

            await db.ExecuteAsync(UpsertSql, new { value = JsonSerializer.Serialize(new { balanced = report.Balanced, checked_at = result.CheckedAt }), now = clock.NowMs() }, cancellationToken);
            return result;
        }

        [LoggerMessage(Level = LogLevel.Critical, Message = "LEDGER MISMATCH: total {Total}, {Count} account(s) differ from their entries: {Accounts}. Not corrected automatically.")]
        private partial void LogMismatch(long total, int count, string accounts);
    }
}
