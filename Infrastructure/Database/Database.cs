using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OfferHub.Lite.Infrastructure.Database;

/// <summary>The process-wide database: opens connections for one dialect. On SQLite it also
/// keeps one writer at a time in this process, so concurrent requests queue here instead of
/// meeting "database is locked"; other processes are covered by busy_timeout.</summary>
public sealed class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource? postgres;
    private readonly SemaphoreSlim sqliteWriter = new(1, 1);

    public Database(DatabaseSettings settings)
    {
        Settings = settings;
        if (settings.Dialect == SqlDialect.Postgres)
        {
            postgres = NpgsqlDataSource.Create(settings.ConnectionString);
        }
        else
        {
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

        var connection = new SqliteConnection(Settings.ConnectionString);
        await connection.OpenAsync(ct);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>Begins a write transaction. SQLite: BEGIN IMMEDIATE behind the in-process writer
    /// gate (a deferred transaction could fail to upgrade its lock under contention).</summary>
    public async Task<WriteTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct)
    {
        if (connection is SqliteConnection sqlite)
        {
            await sqliteWriter.WaitAsync(ct);
            try
            {
                return new WriteTransaction(sqlite.BeginTransaction(deferred: false), sqliteWriter);
            }
            catch
            {
                sqliteWriter.Release();
                throw;
            }
        }

        return new WriteTransaction(await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct), null);
    }

    public async ValueTask DisposeAsync()
    {
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        sqliteWriter.Dispose();
    }
}

/// <summary>A transaction plus the writer gate it holds (SQLite only); ending it releases both.</summary>
public sealed class WriteTransaction(DbTransaction transaction, SemaphoreSlim? gate) : IAsyncDisposable
{
    private bool released;

    public DbTransaction Transaction { get; } = transaction;

    public async Task CommitAsync(CancellationToken ct)
    {
        await Transaction.CommitAsync(ct);
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (released)
        {
            return;
        }

        released = true;
        await Transaction.DisposeAsync();
        gate?.Release();
    }
}
