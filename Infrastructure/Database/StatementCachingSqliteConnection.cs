using System.Data;
using Microsoft.Data.Sqlite;

namespace OfferHub.Lite.Infrastructure.Database;

/// <summary>The SQLite writer's connection, which lives as long as the process, and keeps each
/// parameterised statement compiled for reuse. Microsoft.Data.Sqlite keeps compiled statements
/// per command object and Dapper makes a new command for every call, so without this every
/// statement is parsed and planned again inside the writer's turn, which all writes wait for.
/// Statements without parameters are not kept: the writer compiles its own (BEGIN, SAVEPOINT,
/// COMMIT) once in <see cref="SqliteWriter"/>, and the cache never gives a slot back, so it keeps
/// to the parameterised statements of the hot path.</summary>
internal sealed class StatementCachingSqliteConnection(string connectionString) : SqliteConnection(connectionString)
{
    private const int Capacity = 256;
    private readonly Dictionary<string, CompiledCommand> compiled = new(StringComparer.Ordinal);

    public override SqliteCommand CreateCommand() =>
        new ReusingCommand(this) { CommandTimeout = DefaultTimeout, Transaction = Transaction };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var command in compiled.Values)
            {
                command.Dispose();
            }

            compiled.Clear();
        }

        base.Dispose(disposing);
    }

    /// <summary>The compiled command for a text, unless its last reader is still open (an
    /// unbuffered read): then the caller compiles its own, and the open reader keeps its values.</summary>
    private CompiledCommand? CompiledFor(string sql)
    {
        if (compiled.TryGetValue(sql, out var command))
        {
            return command.Reading ? null : command;
        }

        if (compiled.Count >= Capacity)
        {
            return null;
        }

        command = new CompiledCommand(sql, this);
        compiled.Add(sql, command);
        return command;
    }

    private sealed class CompiledCommand(string sql, SqliteConnection connection) : SqliteCommand(sql, connection)
    {
        public bool Reading => DataReader is not null;
    }

    /// <summary>A command that runs on the connection's compiled statement for its text. The
    /// statement is reset by the reader when it is disposed (also on failure), so it is ready for
    /// the next use.</summary>
    private sealed class ReusingCommand(StatementCachingSqliteConnection owner) : SqliteCommand(null, owner)
    {
        public override SqliteDataReader ExecuteReader(CommandBehavior behavior)
        {
            if (Parameters.Count == 0 || owner.CompiledFor(CommandText) is not { } reused)
            {
                return base.ExecuteReader(behavior);
            }

            reused.Parameters.Clear();
            foreach (SqliteParameter parameter in Parameters)
            {
                reused.Parameters.Add(parameter);
            }

            reused.CommandTimeout = CommandTimeout;
            reused.Transaction = Transaction;
            return reused.ExecuteReader(behavior);
        }
    }
}
