using Dapper;
using OfferHub.Lite.Infrastructure.Audit;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.StateMachines;

/// <summary>Writes one transition of a resource that keeps its state in a status column: the
/// guarded update and the STATE_TRANSITION audit row, in the caller's transaction. The caller adds
/// the resource's own events, history and ledger postings in the same transaction.</summary>
public sealed class StateChanges(Db db, AuditLog audit, TimeProvider clock)
{
    /// <summary>Applies <paramref name="action"/> to a row of <paramref name="table"/> in state
    /// <paramref name="from"/> and returns the new state. A row that moved meanwhile is refused with
    /// INVALID_STATE rather than overwritten.</summary>
    public async Task<string> MoveAsync(StateMachine machine, string table, string id, string from, string action, string? reason, CancellationToken ct) =>
        (await MoveAsync(machine, table, id, from, action, to => new { status = to, action, reason }, null, ct)).To;

    /// <summary>The same move, writing <paramref name="alsoSet"/> with the status and
    /// <paramref name="auditAfter"/> (given the new state) as the audit row's "after". Returns the
    /// new state and the time the row was updated at.</summary>
    public async Task<(string To, long At)> MoveAsync(StateMachine machine, string table, string id, string from, string action,
        Func<string, object> auditAfter, AlsoSet? alsoSet, CancellationToken ct)
    {
        var to = machine.Next(id, from, action);
        var now = clock.NowMs();
        var parameters = new DynamicParameters(new { id, from, to, now });
        var also = string.Empty;
        if (alsoSet is not null)
        {
            parameters.Add("also", alsoSet.Value);
            also = $", {alsoSet.Column} = COALESCE(@also, {alsoSet.Column})";
        }

        // Table and column names come from the slices' constants, never from input.
        var moved = await db.ExecuteAsync($"UPDATE {table} SET status = @to{also}, updated_at = @now WHERE id = @id AND status = @from", parameters, ct);
        if (moved == 0)
        {
            var current = await db.QuerySingleOrDefaultAsync<string>($"SELECT status FROM {table} WHERE id = @id", new { id }, ct);
            throw machine.Invalid(id, current ?? from, action);
        }

        await audit.WriteAsync(new AuditEntry("STATE_TRANSITION", machine.Resource, id, Success: true, Before: new { status = from }, After: auditAfter(to)), ct);
        return (to, now);
    }
}

/// <summary>A column a move also writes; a null <see cref="Value"/> keeps what the row holds (an order's resolution).</summary>
public sealed record AlsoSet(string Column, string? Value);
