using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Infrastructure.Ledger;

public sealed record LedgerMismatch(string Account, long Balance, long EntriesTotal);

/// <summary>What the books say: every cached balance against the sum of its entries, the sum of
/// all balances (always zero in double entry), and never-negative accounts below zero.</summary>
public sealed record LedgerReport(long Total, IReadOnlyList<LedgerMismatch> Mismatches, IReadOnlyList<string> NegativeAccounts, long Accounts)
{
    public bool Balanced => Total == 0 && Mismatches.Count == 0 && NegativeAccounts.Count == 0;
}

public sealed class LedgerVerifier(Db db)
{
    private const string CompareSql = """
        SELECT a.account AS account, a.balance AS balance, COALESCE(e.total, 0) AS entries_total
        FROM ledger_accounts a
        LEFT JOIN (SELECT account, CAST(SUM(amount) AS BIGINT) AS total FROM ledger_entries GROUP BY account) e ON e.account = a.account
        UNION ALL
        SELECT e.account, 0, CAST(SUM(e.amount) AS BIGINT) FROM ledger_entries e
        WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.account = e.account)
        GROUP BY e.account
        """;

    public async Task<LedgerReport> VerifyAsync(CancellationToken ct)
    {
        var rows = await db.QueryAsync<Row>(CompareSql, null, ct);
        return new LedgerReport(
            rows.Sum(r => r.Balance),
            rows.Where(r => r.Balance != r.EntriesTotal).Select(r => new LedgerMismatch(r.Account, r.Balance, r.EntriesTotal)).ToList(),
            rows.Where(r => r.Balance < 0 && !Accounts.MayGoNegative(r.Account)).Select(r => r.Account).ToList(),
            rows.Count);
    }

    // A class, not a positional record: SQLite reports expression columns of an empty result as
    // BLOB, which Dapper's constructor matching refuses even though no row needs converting.
    private sealed class Row
    {
        public string Account { get; init; } = string.Empty;

        public long Balance { get; init; }

        public long EntriesTotal { get; init; }
    }
}
