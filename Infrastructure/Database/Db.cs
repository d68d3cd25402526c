using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;

namespace OfferHub.Lite.Infrastructure.Database;

/// <summary>The request's unit of work: one connection, at most one write transaction at a time.
/// Inside a scope the transaction begins by itself, at the statement <see cref="TransactionStart"/>
/// names, and the outermost completed scope commits it; so a handler only asks for statements and
/// never begins or commits. Scopes nest: an endpoint filter adds its own rows (the stored idempotent
/// response) to the transaction the command's statements began. Outside a scope (queries) no
/// transaction is begun: each statement stands alone.</summary>
public sealed partial class Db(Database database) : IAsyncDisposable
{
    private readonly List<Func<Db, CancellationToken, Task>> afterRollback = [];
    private readonly List<Action> afterCommit = [];
    private DbConnection? connection;
    private WriteTransaction? transaction;
    private (WriteTransaction Owner, Dictionary<(string, Type), object> Values)? transactionReads;
    private TransactionStart start = TransactionStart.AtFirstStatement;
    private int depth;
    private bool doomed;

    public SqlDialect Dialect => database.Dialect;

    public async Task<DbConnection> ConnectionAsync(CancellationToken ct) =>
        connection ??= await database.OpenAsync(ct);

    /// <summary>The one explicit commit: commits what the unit of work has written so far and goes on
    /// without a transaction (the next statement begins the next one). For a slice that must commit
    /// before it calls a provider: the local record of an operation survives a failure of the call,
    /// so that a retry resumes it instead of starting over.</summary>
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

    /// <summary>Opens a unit of work (or joins the open one) whose transaction begins at <paramref name="begins"/>.</summary>
    public Scope BeginScope(TransactionStart begins = TransactionStart.AtFirstStatement)
    {
        depth++;
        var outer = start;
        start = begins;
        return new Scope(this, outer);
    }

    /// <summary>Reads a value once per write transaction: later calls with the same key in the same
    /// transaction get the first answer without a statement (the webhook endpoints the outbox
    /// matches every event against). A new transaction reads again. Outside a transaction every
    /// call reads.</summary>
    public async Task<T> ReadOncePerTransactionAsync<T>(string key, Func<Task<T>> read)
        where T : class
    {
        if (transaction is not { } current)
        {
            return await read();
        }

        if (transactionReads is { } kept && ReferenceEquals(kept.Owner, current) && kept.Values.TryGetValue((key, typeof(T)), out var known))
        {
            return (T)known;
        }

        var value = await read();
        if (transactionReads is not { } reads || !ReferenceEquals(reads.Owner, current))
        {
            transactionReads = (current, []);
        }

        transactionReads.Value.Values[(key, typeof(T))] = value;
        return value;
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
        RunAsync(sql, args, Statement.Write, static (connection, command) => connection.ExecuteAsync(command), ct);

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? args, CancellationToken ct) =>
        RunAsync(sql, args, Statement.Read, static (connection, command) => connection.QuerySingleOrDefaultAsync<T>(command), ct);

    public Task<T> QuerySingleAsync<T>(string sql, object? args, CancellationToken ct) =>
        RunAsync(sql, args, Statement.Read, static (connection, command) => connection.QuerySingleAsync<T>(command), ct);

    public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? args, CancellationToken ct) =>
        RunAsync<IReadOnlyList<T>>(sql, args, Statement.Read, static async (connection, command) => (await connection.QueryAsync<T>(command)).AsList(), ct);

    public Task<T?> ExecuteScalarAsync<T>(string sql, object? args, CancellationToken ct) =>
        RunAsync(sql, args, Statement.Read, static (connection, command) => connection.ExecuteScalarAsync<T>(command), ct);

    /// <summary>Reads the row the unit of work goes on to change, under lock: the write transaction
    /// begins here whatever <see cref="TransactionStart"/> says, and on PostgreSQL the row is held
    /// FOR UPDATE; on SQLite the write transaction already holds the only writer.</summary>
    public Task<T?> QueryForUpdateAsync<T>(string sql, object? args, CancellationToken ct) =>
        RunAsync(Dialect == SqlDialect.Postgres ? sql + " FOR UPDATE" : sql, args, Statement.LockedRead,
            static (connection, command) => connection.QuerySingleOrDefaultAsync<T>(command), ct);

    private enum Statement
    {
        Read,
        LockedRead,
        Write,
    }

    /// <summary>Every statement passes here: inside a scope it begins the write transaction when
    /// the scope's start says so. On SQLite it is also where its span starts (Npgsql traces its own
    /// commands); without a tracer listening no span is made.</summary>
    private async Task<T> RunAsync<T>(string sql, object? args, Statement statement, Func<DbConnection, CommandDefinition, Task<T>> run, CancellationToken ct)
    {
        if (transaction is null && depth > 0 && (statement != Statement.Read || start == TransactionStart.AtFirstStatement))
        {
            transaction = await database.BeginWriteAsync(await ConnectionAsync(ct), ct);
        }

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

    private async Task EndAsync(bool completed, TransactionStart outer)
    {
        depth--;
        start = outer;
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

    public sealed class Scope(Db owner, TransactionStart outer) : IAsyncDisposable
    {
        private bool ended;

        public async Task CompleteAsync()
        {
            if (ended)
            {
                return;
            }

            ended = true;
            await owner.EndAsync(completed: true, outer);
        }

        public async ValueTask DisposeAsync()
        {
            if (ended)
            {
                return;
            }

            ended = true;
            await owner.EndAsync(completed: false, outer);
        }
    }
}

/// <summary>Where a unit of work's write transaction begins.</summary>
public enum TransactionStart
{
    /// <summary>At its first statement: what a command reads, its writes depend on, so the reads
    /// sit in the transaction (on SQLite inside the one writer's turn).</summary>
    AtFirstStatement,

    /// <summary>At its first write or locked read. For work that calls out (a provider, the signer,
    /// units of work of its own) after reading: those reads hold no transaction, and no writer,
    /// across the call.</summary>
    AtFirstWrite,
}
