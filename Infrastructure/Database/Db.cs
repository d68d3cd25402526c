using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;

namespace OfferHub.Lite.Infrastructure.Database;

/// <summary>The request's unit of work: one connection, at most one write transaction.
/// Scopes nest; only the outermost completed scope commits, so an endpoint filter can add its
/// own rows (the stored idempotent response) to the transaction a handler started.</summary>
public sealed partial class Db(Database database) : IAsyncDisposable
{
    private readonly List<Func<Db, CancellationToken, Task>> afterRollback = [];
    private readonly List<Action> afterCommit = [];
    private DbConnection? connection;
    private WriteTransaction? transaction;
    private int depth;
    private bool doomed;

    public SqlDialect Dialect => database.Dialect;

    public bool InTransaction => transaction is not null;

    public async Task<DbConnection> ConnectionAsync(CancellationToken ct) =>
        connection ??= await database.OpenAsync(ct);

    /// <summary>Starts the write transaction if none is open. Call it before the first read
    /// whose answer a write depends on.</summary>
    public async Task BeginAsync(CancellationToken ct)
    {
        if (transaction is not null)
        {
            return;
        }

        if (depth == 0)
        {
            throw new InvalidOperationException("A write transaction needs an open unit-of-work scope.");
        }

        transaction = await database.BeginWriteAsync(await ConnectionAsync(ct), ct);
    }

    /// <summary>Commits what the unit of work has written so far and goes on without a transaction.
    /// For work that must survive a failure after it, such as the local record of an operation
    /// made before its provider is called, so that a retry resumes it instead of starting over.</summary>
    public async Task CheckpointAsync(CancellationToken ct)
    {
        if (transaction is null)
        {
            return;
        }

        var committing = transaction;
        transaction = null;
        await committing.CommitAsync(ct);
        Committed();
    }

    /// <summary>Gives the connection back to the pool when no transaction needs it; the next
    /// statement takes one again. For long-lived requests such as the event stream.</summary>
    public async Task ReleaseConnectionAsync()
    {
        if (transaction is null && connection is not null)
        {
            await connection.DisposeAsync();
            connection = null;
        }
    }

    /// <summary>Drops what the unit of work has written since its last commit.</summary>
    public async Task RollbackAsync()
    {
        if (transaction is null)
        {
            return;
        }

        var dropping = transaction;
        transaction = null;
        afterCommit.Clear();
        await dropping.DisposeAsync();
    }

    public Scope BeginScope()
    {
        depth++;
        return new Scope(this);
    }

    /// <summary>Something to do once what was written is committed (waking the event sequencer).</summary>
    public void AfterCommit(Action action) => afterCommit.Add(action);

    /// <summary>How many commits this unit of work has made (checkpoints included).</summary>
    public int Commits { get; private set; }

    private void Committed()
    {
        Commits++;
        var actions = afterCommit.ToArray();
        afterCommit.Clear();
        foreach (var action in actions)
        {
            action();
        }
    }

    /// <summary>Work to do in a fresh transaction after the current one rolls back (the failure
    /// audit row of a refused request).</summary>
    public void AfterRollback(Func<Db, CancellationToken, Task> work) => afterRollback.Add(work);

    public Task<int> ExecuteAsync(string sql, object? args, CancellationToken ct) =>
        RunAsync(sql, args, static (connection, command) => connection.ExecuteAsync(command), ct);

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? args, CancellationToken ct) =>
        RunAsync(sql, args, static (connection, command) => connection.QuerySingleOrDefaultAsync<T>(command), ct);

    public Task<T> QuerySingleAsync<T>(string sql, object? args, CancellationToken ct) =>
        RunAsync(sql, args, static (connection, command) => connection.QuerySingleAsync<T>(command), ct);

    public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? args, CancellationToken ct) =>
        RunAsync<IReadOnlyList<T>>(sql, args, static async (connection, command) => (await connection.QueryAsync<T>(command)).AsList(), ct);

    public Task<T?> ExecuteScalarAsync<T>(string sql, object? args, CancellationToken ct) =>
        RunAsync(sql, args, static (connection, command) => connection.ExecuteScalarAsync<T>(command), ct);

    /// <summary>Every statement passes here. On SQLite it is also where its span starts (Npgsql
    /// traces its own commands); without a tracer listening no span is made.</summary>
    private async Task<T> RunAsync<T>(string sql, object? args, Func<DbConnection, CommandDefinition, Task<T>> run, CancellationToken ct)
    {
        var connection = transaction?.Connection ?? await ConnectionAsync(ct);
        using var span = Dialect == SqlDialect.Sqlite ? Observability.DatabaseSpans.StartSqlite(sql) : null;
        try
        {
            return await run(connection, Command(sql, args, ct));
        }
        catch (Exception failure) when (Observability.DatabaseSpans.Failed(span, failure))
        {
            throw;
        }
    }

    private CommandDefinition Command(string sql, object? args, CancellationToken ct) =>
        new(Dialect == SqlDialect.Postgres ? InList().Replace(sql, "= ANY(@${name})") : sql, args, transaction?.Transaction, cancellationToken: ct);

    // Dapper expands "IN @list" for SQLite but hands Npgsql the list as one array parameter,
    // which PostgreSQL spells "= ANY(@list)". Slices write the portable form.
    [GeneratedRegex(@"\bIN\s+@(?<name>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex InList();

    private async Task EndAsync(bool completed)
    {
        depth--;
        if (!completed)
        {
            doomed = true;
        }

        if (depth > 0)
        {
            return;
        }

        var commit = !doomed;
        doomed = false;
        if (transaction is not null)
        {
            var ending = transaction;
            transaction = null;
            if (commit)
            {
                await ending.CommitAsync(CancellationToken.None);
                Committed();
            }
            else
            {
                await ending.DisposeAsync();
            }
        }

        if (!commit)
        {
            afterCommit.Clear();
        }

        if (commit || afterRollback.Count == 0)
        {
            afterRollback.Clear();
            return;
        }

        var pending = afterRollback.ToArray();
        afterRollback.Clear();
        await using var scope = BeginScope();
        await BeginAsync(CancellationToken.None);
        foreach (var work in pending)
        {
            await work(this, CancellationToken.None);
        }

        await scope.CompleteAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (transaction is not null)
        {
            await transaction.DisposeAsync();
            transaction = null;
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
            connection = null;
        }
    }

    public sealed class Scope(Db owner) : IAsyncDisposable
    {
        private bool ended;

        public async Task CompleteAsync()
        {
            if (ended)
            {
                return;
            }

            ended = true;
            await owner.EndAsync(completed: true);
        }

        public async ValueTask DisposeAsync()
        {
            if (ended)
            {
                return;
            }

            ended = true;
            await owner.EndAsync(completed: false);
        }
    }
}
