using Microsoft.Data.Sqlite;

namespace OfferHub.Lite.Infrastructure.Database;

/// <summary>SQLite's one writer in this process, with group commit. Write transactions take turns
/// on one connection; each runs inside its own savepoint of a shared transaction. When a turn ends
/// and other requests are already waiting, the next one goes on in the same transaction; the
/// transaction commits when nobody waits (or the group is full), and every member is answered
/// only after that one durable commit. A member that fails rolls back to its savepoint alone.
/// Other processes on the same file are kept apart by BEGIN IMMEDIATE and busy_timeout.</summary>
public sealed class SqliteWriter(int maxGroup) : IAsyncDisposable
{
    private readonly SemaphoreSlim turn = new(1, 1);
    private SqliteConnection? connection;
    private Control? control;
    private Group? open;
    private int waiting;

    /// <summary>Durable commits made so far (each written by the current turn's holder).</summary>
    internal long Commits { get; private set; }

    /// <summary>Write transactions those commits carried.</summary>
    internal long Transactions { get; private set; }

    /// <summary>Requests waiting for their turn right now.</summary>
    internal int Waiting => Volatile.Read(ref waiting);

    /// <summary>Waits for the writer and starts a savepoint in the open group (opening one if none).</summary>
    public async Task<WriteTransaction> BeginAsync(Func<CancellationToken, Task<SqliteConnection>> openConnection, CancellationToken ct)
    {
        Interlocked.Increment(ref waiting);
        try
        {
            await turn.WaitAsync(ct);
        }
        catch
        {
            Interlocked.Decrement(ref waiting);
            // This request may have been the one a finished member handed the group to.
            await FlushAsync();
            throw;
        }

        Interlocked.Decrement(ref waiting);
        try
        {
            if (connection is null)
            {
                connection = await openConnection(CancellationToken.None);
                control = new Control(connection);
            }

            if (open is null)
            {
                control!.Begin.ExecuteNonQuery();
                open = new Group();
            }

            control!.Savepoint.ExecuteNonQuery();
            return new Member(this, open, connection, control);
        }
        catch
        {
            await EndTurnAsync(open);
            throw;
        }
    }

    /// <summary>Ends a member's turn with its RELEASE (kept) or ROLLBACK TO (not kept). When that
    /// statement fails, the member's savepoint may still be open inside the shared transaction, and
    /// committing the group would keep what the member's caller is told failed. So the whole
    /// group is dropped instead: none of its members has been answered yet, and all of them fail.</summary>
    private async Task EndMemberAsync(Group group, SqliteCommand ending, bool kept)
    {
        try
        {
            ending.ExecuteNonQuery();
        }
        catch (Exception failure)
        {
            open = null;
            try
            {
                await FailAsync(group, failure);
            }
            finally
            {
                turn.Release();
            }

            throw;
        }

        if (kept)
        {
            group.Members++;
        }

        await EndTurnAsync(group);
    }

    /// <summary>Ends the current holder's turn: hands the open group to a waiting request, or
    /// commits it (rolls it back when no member kept anything).</summary>
    private async Task EndTurnAsync(Group? group)
    {
        try
        {
            if (group is not null && (Volatile.Read(ref waiting) == 0 || group.Members >= maxGroup))
            {
                await FinishAsync(group);
            }
        }
        finally
        {
            turn.Release();
        }
    }

    private async Task FinishAsync(Group group)
    {
        open = null;
        try
        {
            (group.Members > 0 ? control!.Commit : control!.Rollback).ExecuteNonQuery();
            if (group.Members > 0)
            {
                Commits++;
                Transactions += group.Members;
                Observability.ProductMetrics.SqliteGroupCommitted(group.Members);
            }

            group.Committed.TrySetResult();
        }
        catch (Exception failure)
        {
            await FailAsync(group, failure);
        }
    }

    /// <summary>Fails every member of the group with <paramref name="failure"/> and drops the
    /// connection, which still holds whatever the group wrote.</summary>
    private async Task FailAsync(Group group, Exception failure)
    {
        group.Committed.TrySetException(failure);
        await DropConnectionAsync();
    }

    /// <summary>Commits a group that was handed to a request which then gave up waiting.</summary>
    private async Task FlushAsync()
    {
        await turn.WaitAsync(CancellationToken.None);
        await EndTurnAsync(open);
    }

    /// <summary>A connection whose COMMIT (or a member's RELEASE) failed is in an unknown state: it
    /// is closed, which rolls back whatever it still holds (the writer's connection is never
    /// pooled, see <see cref="Database"/>), and the next turn opens a new one.</summary>
    private async Task DropConnectionAsync()
    {
        control?.Dispose();
        control = null;
        if (connection is not null)
        {
            await connection.DisposeAsync();
            connection = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DropConnectionAsync();
        turn.Dispose();
    }

    private sealed class Group
    {
        public int Members;

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The writer's transaction statements, compiled once per connection. Members take
    /// turns, each releasing its savepoint before the next begins, so one savepoint name serves all.</summary>
    private sealed class Control(SqliteConnection connection) : IDisposable
    {
        public SqliteCommand Begin { get; } = new("BEGIN IMMEDIATE", connection);

        public SqliteCommand Savepoint { get; } = new("SAVEPOINT member", connection);

        public SqliteCommand Release { get; } = new("RELEASE member", connection);

        public SqliteCommand RollbackMember { get; } = new("ROLLBACK TO member; RELEASE member", connection);

        public SqliteCommand Commit { get; } = new("COMMIT", connection);

        public SqliteCommand Rollback { get; } = new("ROLLBACK", connection);

        public void Dispose()
        {
            foreach (var command in new[] { Begin, Savepoint, Release, RollbackMember, Commit, Rollback })
            {
                command.Dispose();
            }
        }
    }

    private sealed class Member(SqliteWriter writer, Group group, SqliteConnection connection, Control control) : WriteTransaction
    {
        private bool ended;

        public override System.Data.Common.DbConnection Connection => connection;

        public override System.Data.Common.DbTransaction? Transaction => null;

        public override async Task CommitAsync(CancellationToken ct)
        {
            if (ended)
            {
                return;
            }

            ended = true;
            await writer.EndMemberAsync(group, control.Release, kept: true);

            // Answered only once the group's commit is durable (or failed: then this member failed too).
            await group.Committed.Task.WaitAsync(CancellationToken.None);
        }

        public override async ValueTask DisposeAsync()
        {
            if (ended)
            {
                return;
            }

            ended = true;
            await writer.EndMemberAsync(group, control.RollbackMember, kept: false);
        }
    }
}
