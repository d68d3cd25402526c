using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OfferHub.Lite.Bench;

/// <summary>The raw ceiling: the fewest statements that give one create-order + reserve the
/// API's guarantees (key lookup, idempotency record, order, history, outbox events numbered in
/// commit order, audit rows, ledger postings), each request in one durable transaction, issued
/// directly with Dapper on pooled connections, with no HTTP, JSON binding, validation or mediator
/// in between. Kept deliberately separate from the app's code.</summary>
public sealed class RawWorkload(bool postgres, string connectionString, IReadOnlyList<(string Buyer, string Seller)> pairs, string keyHash)
{
    private static readonly SemaphoreSlim SqliteWriter = new(1, 1);
    private readonly NpgsqlDataSource? dataSource = postgres ? NpgsqlDataSource.Create(connectionString) : null;

    public async Task RunOnceAsync(int i)
    {
        var (buyerId, sellerId) = pairs[i % pairs.Count];
        var orderId = NewId("ord");
        await OneRequestAsync(async (c, t, now) =>
        {
            await c.QueryAsync<string>("SELECT id FROM users WHERE " + InList("id"), IdsArg([buyerId, sellerId]), t);
            await c.ExecuteAsync("""
                INSERT INTO orders (id, client_order_ref, status, buyer_id, seller_id, amount, currency, title, description, metadata, released_amount, refunded_amount, created_at, updated_at)
                VALUES (@orderId, NULL, 'ORDER_CREATED', @buyerId, @sellerId, 100, 'USD', NULL, NULL, NULL, 0, 0, @now, @now) ON CONFLICT (client_order_ref) DO NOTHING
                """, new { orderId, buyerId, sellerId, now }, t);
            await History(c, t, orderId, null, "ORDER_CREATED", now);
            await Event(c, t, "order.created", orderId, [buyerId, sellerId], now);
            await Audit(c, t, "ORDER_CREATE", orderId, now);
        });
        await OneRequestAsync(async (c, t, now) =>
        {
            await c.QueryAsync<string>("SELECT id, status FROM orders WHERE id = @orderId" + (postgres ? " FOR UPDATE" : string.Empty), new { orderId }, t);
            await c.QueryAsync<string>("SELECT status FROM users WHERE id = @buyerId", new { buyerId }, t);
            await c.ExecuteAsync("UPDATE orders SET status = 'FUNDS_RESERVED', updated_at = @now WHERE id = @orderId AND status = 'ORDER_CREATED'", new { orderId, now }, t);
            await History(c, t, orderId, "ORDER_CREATED", "FUNDS_RESERVED", now);
            await Event(c, t, "order.state_changed", orderId, [buyerId, sellerId], now);
            await Event(c, t, "order.funds_reserved", orderId, [buyerId, sellerId], now);
            await Audit(c, t, "STATE_TRANSITION", orderId, now);
            var accounts = new[] { $"user:{buyerId}:available", $"user:{buyerId}:reserved" };
            foreach (var account in accounts)
            {
                await c.ExecuteAsync("INSERT INTO ledger_accounts (account, balance, updated_at) VALUES (@account, 0, @now) ON CONFLICT (account) DO NOTHING", new { account, now }, t);
            }

            if (postgres)
            {
                await c.QueryAsync<string>("SELECT account FROM ledger_accounts WHERE account = ANY(@accounts) ORDER BY account FOR UPDATE", new { accounts }, t);
            }

            var transferId = NewId("ltr");
            await c.ExecuteAsync("""
                INSERT INTO ledger_transfers (id, transaction_id, from_account, to_account, amount, reason, reference_type, reference_id, leg, created_at)
                VALUES (@transferId, @transferId, @from, @to, 100, 'order_reserve', 'order', @orderId, 'reserve', @now) ON CONFLICT (reference_type, reference_id, leg) DO NOTHING
                """, new { transferId, from = accounts[0], to = accounts[1], orderId, now }, t);
            foreach (var (account, delta) in new[] { (accounts[0], -100L), (accounts[1], 100L) })
            {
                var after = await c.QuerySingleAsync<long>(
                    "UPDATE ledger_accounts SET balance = balance + @delta, updated_at = @now WHERE account = @account AND (@neg = 1 OR balance + @delta >= 0) RETURNING balance",
                    new { account, delta, now, neg = 0 }, t);
                await c.ExecuteAsync("INSERT INTO ledger_entries (id, transfer_id, account, amount, balance_after, created_at) VALUES (@id, @transferId, @account, @delta, @after, @now)",
                    new { id = NewId("led"), transferId, account, delta, after, now }, t);
            }

            var balances = "SELECT account, balance, updated_at FROM ledger_accounts WHERE " + InList("account");
            var userAccounts = new[] { accounts[0], accounts[1], $"user:{buyerId}:pending_withdrawal" };
            await c.QueryAsync(balances, IdsArg(userAccounts), t);
            await Event(c, t, "balance.reserved", buyerId, [buyerId], now);
            await c.QueryAsync(balances, IdsArg(userAccounts), t);
            await Audit(c, t, "ORDER_RESERVE", orderId, now);
        });
    }

    /// <summary>One API request's worth of database work: the key lookup, then one transaction
    /// with the idempotency record, the business effect and the stored response.</summary>
    private async Task OneRequestAsync(Func<DbConnection, DbTransaction, long, Task> business)
    {
        await using var connection = await OpenAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await connection.QueryAsync("SELECT id, kind, name, scopes, expires_at, revoked_at, last_used_at FROM api_keys WHERE key_hash = @keyHash", new { keyHash });
        var key = Guid.NewGuid().ToString();
        await InTransactionAsync(connection, async t =>
        {
            await connection.ExecuteAsync("""
                INSERT INTO idempotency_keys (owner, idem_key, request_hash, state, lock_token, locked_until, created_at, response_status, response_body, expires_at)
                VALUES ('bench', @key, @key, 'completed', @key, @now, @now, 200, @body, @now)
                """, new { key, body = new string('x', 480), now }, t);
            await business(connection, t, now);
        });
    }

    private async Task InTransactionAsync(DbConnection connection, Func<DbTransaction, Task> work)
    {
        if (connection is SqliteConnection sqlite)
        {
            await SqliteWriter.WaitAsync();
            try
            {
                await using var transaction = sqlite.BeginTransaction(deferred: false);
                await work(transaction);
                await transaction.CommitAsync();
            }
            finally
            {
                SqliteWriter.Release();
            }

            return;
        }

        await using var pg = await connection.BeginTransactionAsync();
        await work(pg);
        await pg.CommitAsync();
        _ = SequenceAfterCommitAsync();
    }

    // PostgreSQL numbers events after commit, as the API's sequencer does: one pass at a time,
    // in the background, one transaction per pass with the same statements; a commit during a
    // pass asks for another.
    private int sequencerRunning;
    private int sequencerAsked;

    private async Task SequenceAfterCommitAsync()
    {
        Interlocked.Exchange(ref sequencerAsked, 1);
        while (Volatile.Read(ref sequencerAsked) == 1 && Interlocked.CompareExchange(ref sequencerRunning, 1, 0) == 0)
        {
            try
            {
                while (Interlocked.Exchange(ref sequencerAsked, 0) == 1)
                {
                    await using var connection = await OpenAsync();
                    await using var t = await connection.BeginTransactionAsync();
                    await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = 0x0FF3_4B5EL }, t);
                    var pending = (await connection.QueryAsync<string>("SELECT id FROM events WHERE seq IS NULL ORDER BY id LIMIT 500", transaction: t)).ToArray();
                    var highest = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(seq), 0) FROM events", transaction: t);
                    await connection.ExecuteAsync("""
                        UPDATE events SET seq = numbered.seq
                        FROM (SELECT id, @highest + ROW_NUMBER() OVER (ORDER BY id) AS seq FROM events WHERE id = ANY(@ids) AND seq IS NULL) AS numbered
                        WHERE events.id = numbered.id
                        """, new { highest, ids = pending }, t);
                    await connection.QueryAsync<string>("SELECT id, types FROM webhook_endpoints WHERE status = 'ACTIVE' AND deleted_at IS NULL", transaction: t);
                    await t.CommitAsync();
                }
            }
            finally
            {
                Volatile.Write(ref sequencerRunning, 0);
            }
        }
    }

    private async Task<DbConnection> OpenAsync()
    {
        if (dataSource is not null)
        {
            return await dataSource.OpenConnectionAsync();
        }

        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync("PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY;");
        return connection;
    }

    private static Task<int> History(DbConnection c, DbTransaction t, string orderId, string? from, string to, long now) =>
        c.ExecuteAsync("""
            INSERT INTO order_history (id, order_id, from_status, to_status, action, actor_type, actor_id, reason, request_id, created_at)
            VALUES (@id, @orderId, @from, @to, 'bench', 'marketplace_api', 'key_bench', NULL, 'req_bench', @now)
            """, new { id = NewId("ohs"), orderId, from, to, now }, t);

    // The API's outbox statements: the event (numbered in its own INSERT on SQLite, whose one
    // writer orders commits; after commit by the sequencer on PostgreSQL) and its users' rows.
    private async Task Event(DbConnection c, DbTransaction t, string type, string resourceId, string[] users, long now)
    {
        var id = NewId("evt");
        var sql = postgres
            ? """
              INSERT INTO events (id, type, occurred_at, resource_type, resource_id, user_ids, data, request_id, idempotency_key)
              VALUES (@id, @type, @now, 'order', @resourceId, @userIds, @data, 'req_bench', 'bench');
              INSERT INTO event_users (user_id, event_id) SELECT jsonb_array_elements_text(CAST(@userIds AS jsonb)), @id;
              """
            : """
              INSERT INTO events (id, type, occurred_at, resource_type, resource_id, user_ids, data, request_id, idempotency_key, seq)
              VALUES (@id, @type, @now, 'order', @resourceId, @userIds, @data, 'req_bench', 'bench', (SELECT COALESCE(MAX(seq), 0) + 1 FROM events));
              INSERT INTO event_users (user_id, event_id) SELECT value, @id FROM json_each(@userIds);
              """;
        await c.ExecuteAsync(sql, new { id, type, now, resourceId, userIds = JsonSerializer.Serialize(users), data = new string('d', 200) }, t);
    }

    private static Task<int> Audit(DbConnection c, DbTransaction t, string action, string resourceId, long now) =>
        c.ExecuteAsync("""
            INSERT INTO audit_logs (id, occurred_at, action, actor_type, actor_id, resource_type, resource_id, result, after_state, request_id, idempotency_key, ip, user_agent)
            VALUES (@id, @now, @action, 'marketplace_api', 'key_bench', 'order', @resourceId, 'SUCCESS', @after, 'req_bench', 'bench', '127.0.0.1', 'bench')
            """, new { id = NewId("aud"), now, action, resourceId, after = new string('a', 400) }, t);

    private static object IdsArg(string[] ids) => new { ids };

    // Dapper expands a list for SQLite and passes an array to Npgsql.
    private string InList(string column) => postgres ? $"{column} = ANY(@ids)" : $"{column} IN @ids";

    // Same shape as the app's ids: prefix + 26 sortable characters.
    private static string NewId(string prefix) => prefix + "_" + Ulid();

    private static string Ulid()
    {
        var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return ms.ToString("x12") + Guid.NewGuid().ToString("N")[..14];
    }
}
