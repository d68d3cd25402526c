using OfferHub.Lite.Infrastructure.Audit;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Infrastructure.StateMachines;

/// <summary>Writes one transition of a resource that keeps its state in a status column: the
/// guarded update and the STATE_TRANSITION audit row, in the caller's transaction. The caller adds
/// the resource's own events and ledger postings in the same transaction.</summary>
public sealed class StateChanges(Db db, AuditLog audit, TimeProvider clock)
{
    /// <summary>Applies <paramref name="action"/> to a row of <paramref name="table"/> in state
    /// <paramref name="from"/> and returns the new state. A row that moved meanwhile is refused with
    /// INVALID_STATE rather than overwritten.</summary>
    public async Task<string> MoveAsync(StateMachine machine, string table, string id, string from, string action, string? reason, CancellationToken ct)
    {
        var to = machine.Next(id, from, action);
        // Table names come from the slices' constants, never from input.
        var moved = await db.ExecuteAsync($"UPDATE {table} SET status = @to, updated_at = @now WHERE id = @id AND status = @from",
            new { id, from, to, now = clock.NowMs() }, ct);
        if (moved == 0)
        {
            var current = await db.QuerySingleOrDefaultAsync<string>($"SELECT status FROM {table} WHERE id = @id", new { id }, ct);
            throw machine.Invalid(id, current ?? from, action);
        }

        await audit.WriteAsync(new AuditEntry("STATE_TRANSITION", machine.Resource, id, Success: true,
            Before: new { status = from }, After: new { status = to, action, reason }), ct);
        return to;
    }
}
