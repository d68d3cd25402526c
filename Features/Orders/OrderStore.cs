using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Features.Orders;

/// <summary>Reads orders for the order slices; the locking read is where every order command
/// starts, so that commands on one order run one after another.</summary>
public static class OrderStore
{
    private const string SelectSql = $"SELECT {OrderRow.Columns} FROM orders WHERE id = @id";
    private const string MilestonesSql = $"SELECT {MilestoneRow.Columns} FROM order_milestones WHERE order_id IN @ids ORDER BY order_id, position";

    /// <summary>The order, locked for the rest of the transaction (FOR UPDATE on PostgreSQL; on
    /// SQLite the write transaction already holds the only writer lock).</summary>
    public static async Task<OrderRow> LockAsync(Db db, string id, CancellationToken ct)
    {
        await db.BeginAsync(ct);
        return await db.QuerySingleOrDefaultAsync<OrderRow>(SelectSql + (db.Dialect == SqlDialect.Postgres ? " FOR UPDATE" : string.Empty), new { id }, ct)
            ?? throw NotFound(id);
    }

    public static async Task<OrderRow> GetAsync(Db db, string id, CancellationToken ct) =>
        await db.QuerySingleOrDefaultAsync<OrderRow>(SelectSql, new { id }, ct) ?? throw NotFound(id);

    public static async Task<OrderResponse> ResponseAsync(Db db, OrderRow order, CancellationToken ct) =>
        order.ToResponse(await MilestonesAsync(db, [order.Id], ct));

    public static async Task<IReadOnlyList<MilestoneRow>> MilestonesAsync(Db db, IReadOnlyList<string> orderIds, CancellationToken ct) =>
        orderIds.Count == 0 ? [] : await db.QueryAsync<MilestoneRow>(MilestonesSql, new { ids = orderIds }, ct);

    public static ApiException NotFound(string id) => ApiErrors.NotFound(ApiErrors.OrderNotFound, "Order", id);
}
