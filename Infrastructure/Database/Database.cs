using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OfferHub.Lite.Infrastructure.Database;

/// <summary>The process-wide database: opens connections for one dialect. On SQLite it also
/// keeps the one writer of this process (with group commit), so concurrent requests queue there
/// instead of meeting "database is locked"; other processes are covered by busy_timeout. Every
/// SQLite connection runs with synchronous=FULL: a commit is on disk before it is answered.</summary>
public sealed class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource? postgres;
    private readonly SqliteWriter? sqliteWriter;

    // The writer's one connection lives as long as the process, so a pool gives it nothing, and
    // closing it must really close it: a writer connection dropped after a failed COMMIT may still
    // hold its transaction, which only closing the handle rolls back.
    private readonly string writerConnectionString = string.Empty;

    /// <summary>SQLite's writer (null on PostgreSQL), for its commit counts.</summary>
    internal SqliteWriter? Writer => sqliteWriter;

    public Database(DatabaseSettings settings)
    {
        Settings = settings;
        if (settings.Dialect == SqlDialect.Postgres)
        {
            postgres = NpgsqlDataSource.Create(settings.ConnectionString);
        }
        else
        {
            sqliteWriter = new SqliteWriter(settings.SqliteGroupCommit);
            writerConnectionString = new SqliteConnectionStringBuilder(settings.ConnectionString) { Pooling = false }.ToString();
            var directory = Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
    }

    public DatabaseSettings Settings { get; }

    public SqlDialect Dialect => Settings.Dialect;

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        if (postgres is not null)
        {
            return await postgres.OpenConnectionAsync(ct);
        }

        return await OpenSqliteAsync(new SqliteConnection(Settings.ConnectionString), ct);
    }

    private static async Task<SqliteConnection> OpenSqliteAsync(SqliteConnection connection, CancellationToken ct)
    {
        await connection.OpenAsync(ct);
        // temp_store=MEMORY keeps SQLite's statement and savepoint journals in memory: every member
        // of a group commit runs in a savepoint, and with those journals in temporary files a
        // request's inserts took about twice as long (docs/performance.md).
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>Begins a write transaction: on SQLite a turn of the one writer (see
    /// <see cref="SqliteWriter"/>), on PostgreSQL a transaction on <paramref name="connection"/>.</summary>
    public async Task<WriteTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        sqliteWriter is not null
            ? await sqliteWriter.BeginAsync(open => OpenSqliteAsync(new StatementCachingSqliteConnection(writerConnectionString), open), ct)
            : new PostgresTransaction(await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct));

    public async ValueTask DisposeAsync()
    {
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        if (sqliteWriter is not null)
        {
            await sqliteWriter.DisposeAsync();
        }
    }
}

/// <summary>A request's write transaction: on PostgreSQL its own transaction, on SQLite its turn
/// (a savepoint) in the writer's group. Committing returns once the commit is durable; disposing
/// without committing rolls back.</summary>
public abstract class WriteTransaction : IAsyncDisposable
{
    /// <summary>The connection every statement of the transaction must use.</summary>
    public abstract DbConnection Connection { get; }

    /// <summary>The ADO.NET transaction to attach to commands, where the driver needs one.</summary>
    public abstract DbTransaction? Transaction { get; }

    public abstract Task CommitAsync(CancellationToken ct);

    public abstract ValueTask DisposeAsync();
}

internal sealed class PostgresTransaction(DbTransaction transaction) : WriteTransaction
{
    public override DbConnection Connection => transaction.Connection!;

    public override DbTransaction? Transaction => transaction;

    public override async Task CommitAsync(CancellationToken ct)
    {
        await transaction.CommitAsync(ct);
        await transaction.DisposeAsync();
    }

    public override ValueTask DisposeAsync() => transaction.DisposeAsync();
}
