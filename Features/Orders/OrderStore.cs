using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Features.Orders;

/// <summary>Reads orders for the order slices; the locking read is where every order command
/// starts, so that commands on one order run one after another.</summary>
public static class OrderStore
{
    /// <summary>An order belongs to its buyer and its seller.</summary>
    public static readonly UserTokenAccess UserTokenAccess = new UserTokenAccess.OwnedResource(
        "SELECT buyer_id FROM orders WHERE id = @id UNION ALL SELECT seller_id FROM orders WHERE id = @id", ApiErrors.OrderNotFound, "Order");

    private const string SelectSql = $"SELECT {OrderRow.Columns} FROM orders WHERE id = @id";
    private const string MilestonesSql = $"SELECT {MilestoneRow.Columns} FROM order_milestones WHERE order_id IN @ids ORDER BY order_id, position";

    /// <summary>The order, locked for the rest of the transaction (see <see cref="ResourceRows.LockAsync{T}"/>).</summary>
    public static async Task<OrderRow> LockAsync(Db db, string id, CancellationToken ct) =>
        await ResourceRows.LockAsync<OrderRow>(db, "orders", OrderRow.Columns, id, ct) ?? throw NotFound(id);

    public static async Task<OrderRow> GetAsync(Db db, string id, CancellationToken ct) =>
        await db.QuerySingleOrDefaultAsync<OrderRow>(SelectSql, new { id }, ct) ?? throw NotFound(id);

    private const string EscrowsSql = "SELECT order_id, id, contract_id, status FROM escrows WHERE order_id IN @ids";
    private const string DisputesSql = "SELECT order_id, id FROM disputes WHERE order_id IN @ids";

    public static async Task<OrderResponse> ResponseAsync(Db db, OrderRow order, CancellationToken ct) =>
        (await ResponsesAsync(db, [order], ct))[0];

    /// <summary>Orders as api.md shows them: with milestones, the escrow summary and the dispute id.</summary>
    public static async Task<IReadOnlyList<OrderResponse>> ResponsesAsync(Db db, IReadOnlyList<OrderRow> orders, CancellationToken ct)
    {
        var ids = orders.Select(o => o.Id).ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var milestones = await MilestonesAsync(db, ids, ct);
        var escrows = await db.QueryAsync<EscrowLink>(EscrowsSql, new { ids }, ct);
        var disputes = await db.QueryAsync<DisputeLink>(DisputesSql, new { ids }, ct);
        return
        [
            .. orders.Select(o => o.ToResponse(
                [.. milestones.Where(m => m.OrderId == o.Id)],
                escrows.FirstOrDefault(e => e.OrderId == o.Id) is { } e ? new EscrowSummary(e.Id, e.ContractId, e.Status) : null,
                disputes.FirstOrDefault(d => d.OrderId == o.Id)?.Id)),
        ];
    }

    private sealed record EscrowLink(string OrderId, string Id, string? ContractId, string Status);

    private sealed record DisputeLink(string OrderId, string Id);

    public static async Task<IReadOnlyList<MilestoneRow>> MilestonesAsync(Db db, IReadOnlyList<string> orderIds, CancellationToken ct) =>
        orderIds.Count == 0 ? [] : await db.QueryAsync<MilestoneRow>(MilestonesSql, new { ids = orderIds }, ct);

    public static ApiException NotFound(string id) => ApiErrors.NotFound(ApiErrors.OrderNotFound, "Order", id);
}
