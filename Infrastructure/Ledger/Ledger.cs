using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.Ledger;

/// <summary>One movement of money. (ReferenceType, ReferenceId, Leg) names it: a posting with a
/// name already in the ledger is not applied again.</summary>
public sealed record Transfer(string From, string To, long Amount, string Reason, string ReferenceType, string ReferenceId, string Leg);

public sealed record UserBalance(string UserId, long Available, long Reserved, long PendingWithdrawal, long UpdatedAtMs)
{
    public long Total => Available + Reserved + PendingWithdrawal;
}

/// <summary>The only code that changes balances. Every posting runs inside the caller's
/// transaction: entries, the cached balance rows and the balance events commit together.</summary>
public sealed class Ledger(Db db, Outbox outbox, TimeProvider clock)
{
    private const string EnsureAccountSql = "INSERT INTO ledger_accounts (account, balance, updated_at) VALUES (@account, 0, @now) ON CONFLICT (account) DO NOTHING";

    // Locks every touched account in one global order (by name) so that two postings over the
    // same accounts cannot deadlock on PostgreSQL. SQLite has one writer and needs no lock.
    private const string LockAccountsSql = "SELECT account FROM ledger_accounts WHERE account IN @accounts ORDER BY account FOR UPDATE";

    private const string InsertTransferSql = """
        INSERT INTO ledger_transfers (id, transaction_id, from_account, to_account, amount, reason, reference_type, reference_id, leg, created_at)
        VALUES (@id, @transactionId, @from, @to, @amount, @reason, @referenceType, @referenceId, @leg, @now)
        ON CONFLICT (reference_type, reference_id, leg) DO NOTHING
        """;

    // The guard and the change are one statement: no interleaving can take a never-negative
    // account below zero.
    private const string MoveSql = """
        UPDATE ledger_accounts SET balance = balance + @delta, updated_at = @now
        WHERE account = @account AND (@mayGoNegative = 1 OR balance + @delta >= 0)
        RETURNING balance
        """;

    private const string BalanceSql = "SELECT balance FROM ledger_accounts WHERE account = @account";

    private const string InsertEntrySql = """
        INSERT INTO ledger_entries (id, transfer_id, account, amount, balance_after, created_at)
        VALUES (@id, @transferId, @account, @amount, @balanceAfter, @now)
        """;

    private const string UserBalanceSql = "SELECT account, balance, updated_at FROM ledger_accounts WHERE account IN @accounts";

    /// <summary>Posts the transfers as one ledger transaction. Returns how many were applied;
    /// those posted before are skipped. A never-negative account that would go below zero
    /// throws INSUFFICIENT_FUNDS, which rolls back the caller's whole transaction.</summary>
    public async Task<int> PostAsync(IReadOnlyList<Transfer> transfers, CancellationToken ct)
    {
        var now = clock.NowMs();
        var accounts = transfers.SelectMany(t => new[] { t.From, t.To }).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var account in accounts)
        {
            await db.ExecuteAsync(EnsureAccountSql, new { account, now }, ct);
        }

        if (db.Dialect == SqlDialect.Postgres)
        {
            await db.QueryAsync<string>(LockAccountsSql, new { accounts }, ct);
        }

        var transactionId = Ids.New("ltx");
        var applied = new List<Transfer>();
        foreach (var transfer in transfers)
        {
            if (transfer.Amount <= 0 || transfer.From == transfer.To)
            {
                throw new InvalidOperationException($"Invalid transfer {transfer.Leg} of {transfer.Amount} for {transfer.ReferenceType} {transfer.ReferenceId}.");
            }

            var transferId = Ids.New("ltr");
            var inserted = await db.ExecuteAsync(InsertTransferSql, new
            {
                id = transferId,
                transactionId,
                from = transfer.From,
                to = transfer.To,
                amount = transfer.Amount,
                reason = transfer.Reason,
                referenceType = transfer.ReferenceType,
                referenceId = transfer.ReferenceId,
                leg = transfer.Leg,
                now,
            }, ct);
            if (inserted == 0)
            {
                continue;
            }

            await MoveAsync(transferId, transfer.From, -transfer.Amount, now, ct);
            await MoveAsync(transferId, transfer.To, transfer.Amount, now, ct);
            applied.Add(transfer);
        }

        await PublishBalanceEventsAsync(applied, ct);
        return applied.Count;
    }

    public Task<int> PostAsync(Transfer transfer, CancellationToken ct) => PostAsync([transfer], ct);

    public async Task<UserBalance> BalanceAsync(string userId, CancellationToken ct)
    {
        var rows = await db.QueryAsync<AccountRow>(UserBalanceSql, new { accounts = Accounts.OfUser(userId) }, ct);
        long Of(string account) => rows.FirstOrDefault(r => r.Account == account)?.Balance ?? 0;
        return new UserBalance(
            userId,
            Of(Accounts.Available(userId)),
            Of(Accounts.Reserved(userId)),
            Of(Accounts.PendingWithdrawal(userId)),
            rows.Count == 0 ? 0 : rows.Max(r => r.UpdatedAt));
    }

    private async Task MoveAsync(string transferId, string account, long delta, long now, CancellationToken ct)
    {
        var balance = await db.QuerySingleOrDefaultAsync<long?>(MoveSql, new { account, delta, now, mayGoNegative = Accounts.MayGoNegative(account) ? 1 : 0 }, ct);
        if (balance is null)
        {
            var available = await db.QuerySingleOrDefaultAsync<long?>(BalanceSql, new { account }, ct) ?? 0;
            throw new ApiException(422, ApiErrors.InsufficientFunds, "Available balance is less than the requested amount", new Dictionary<string, object?>
            {
                ["available"] = Amount.Format(available),
                ["requested"] = Amount.Format(-delta),
                ["currency"] = "USD",
            });
        }

        await db.ExecuteAsync(InsertEntrySql, new { id = Ids.New("led"), transferId, account, amount = delta, balanceAfter = balance, now }, ct);
    }

    /// <summary>balance.reserved / released / credited / debited for every user a posting touched.</summary>
    private async Task PublishBalanceEventsAsync(IReadOnlyList<Transfer> applied, CancellationToken ct)
    {
        foreach (var transfer in applied)
        {
            var fromUser = Accounts.UserOf(transfer.From);
            var toUser = Accounts.UserOf(transfer.To);
            foreach (var userId in new[] { fromUser, toUser }.OfType<string>().Distinct())
            {
                var type = BalanceEventType(transfer, userId);
                var balance = await BalanceAsync(userId, ct);
                await outbox.PublishAsync(type, "user", userId, [userId], new
                {
                    user_id = userId,
                    amount = Amount.Format(transfer.Amount),
                    reason = transfer.Reason,
                    reference_id = transfer.ReferenceId,
                    balance = new
                    {
                        available = Amount.Format(balance.Available),
                        reserved = Amount.Format(balance.Reserved),
                        pending_withdrawal = Amount.Format(balance.PendingWithdrawal),
                    },
                }, ct);
            }
        }
    }

    private static string BalanceEventType(Transfer transfer, string userId)
    {
        if (transfer.From == Accounts.Available(userId) && transfer.To == Accounts.Reserved(userId))
        {
            return "balance.reserved";
        }

        if (transfer.From == Accounts.Reserved(userId) && transfer.To == Accounts.Available(userId))
        {
            return "balance.released";
        }

        return transfer.To == Accounts.Available(userId) ? "balance.credited" : "balance.debited";
    }

    private sealed record AccountRow(string Account, long Balance, long UpdatedAt);
}
