using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Features.Escrow;

public static class EscrowStore
{
    private const string MilestoneStatusSql = "UPDATE order_milestones SET status = @status WHERE order_id = @orderId AND milestone_ref = @milestoneRef";

    private const string PendingSignatureSql = "SELECT " + SignatureRow.Columns + " FROM signatures WHERE order_id = @orderId AND status IN ('PENDING', 'SUBMITTED') ORDER BY id DESC LIMIT 1";

    public static Task<EscrowRow?> FindByOrderAsync(Db db, string orderId, CancellationToken ct) =>
        ResourceRows.FindAsync<EscrowRow>(db, EscrowStates.Table, EscrowRow.Columns, "order_id", orderId, ct);

    public static async Task<EscrowRow> GetByOrderAsync(Db db, string orderId, CancellationToken ct) =>
        await FindByOrderAsync(db, orderId, ct) ?? throw NotReady(orderId, "none");

    public static Task<SignatureRow?> PendingSignatureAsync(Db db, string orderId, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<SignatureRow>(PendingSignatureSql, new { orderId }, ct);

    public static async Task<EscrowResponse> ResponseAsync(Db db, EscrowRow escrow, CancellationToken ct) =>
        EscrowResponse.From(escrow, await OrderStore.MilestonesAsync(db, [escrow.OrderId], ct), await PendingSignatureAsync(db, escrow.OrderId, ct));

    public static Task<int> SetMilestoneStatusAsync(Db db, string orderId, string milestoneRef, string status, CancellationToken ct) =>
        db.ExecuteAsync(MilestoneStatusSql, new { orderId, milestoneRef, status }, ct);

    public static ApiException NotReady(string orderId, string status) =>
        new(409, ApiErrors.EscrowNotReady, "The order's escrow is not in the state this needs",
            new Dictionary<string, object?> { ["order_id"] = orderId, ["escrow_status"] = status });
}
