using System.Text.Json;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.StateMachines;
using Cents = OfferHub.Lite.Infrastructure.Money.Amount;

namespace OfferHub.Lite.Features.Disputes;

/// <summary>The dispute machine of states.md, as data.</summary>
public static class DisputeStates
{
    public const string Table = "disputes";
    public const string Open = "OPEN";
    public const string UnderReview = "UNDER_REVIEW";
    public const string Resolved = "RESOLVED";

    public static readonly string[] All = [Open, UnderReview, Resolved];

    public static readonly string[] Decisions = ["FULL_RELEASE", "FULL_REFUND", "SPLIT"];

    public static readonly StateMachine Machine = new("dispute",
    [
        new(Open, "assign", UnderReview),
        new(UnderReview, "assign", UnderReview),
        new(Open, "resolve", Resolved),
        new(UnderReview, "resolve", Resolved),
    ]);
}

public sealed record DisputeRow(
    string Id,
    string OrderId,
    string Status,
    string OpenedBy,
    string Reason,
    string? Message,
    string? Evidence,
    string? AssignedTo,
    string? Decision,
    long? AmountToSeller,
    long? AmountToBuyer,
    string? ResolutionNote,
    string? ResolvedBy,
    long? ResolvedAt,
    long CreatedAt,
    long UpdatedAt)
{
    public const string Columns = """
        id, order_id, status, opened_by, reason, message, evidence, assigned_to, decision, amount_to_seller, amount_to_buyer,
        resolution_note, resolved_by, resolved_at, created_at, updated_at
        """;

    public DisputeResponse ToResponse(long commentsCount) => new(
        Id,
        OrderId,
        Status,
        OpenedBy,
        Reason,
        Message,
        Evidence is null ? [] : JsonSerializer.Deserialize<List<string>>(Evidence) ?? [],
        AssignedTo,
        Decision is null ? null : new DisputeResolution(Decision, Cents.Format(AmountToSeller ?? 0), Cents.Format(AmountToBuyer ?? 0), ResolutionNote, ResolvedBy,
            Timestamps.FromMs(ResolvedAt ?? UpdatedAt)),
        commentsCount,
        Timestamps.FromMs(CreatedAt),
        Timestamps.FromMs(UpdatedAt));
}

public sealed record DisputeResolution(string Decision, string AmountToSeller, string AmountToBuyer, string? Note, string? ResolvedBy, DateTimeOffset ResolvedAt);

public sealed record DisputeResponse(
    string Id,
    string OrderId,
    string Status,
    string OpenedBy,
    string Reason,
    string? Message,
    IReadOnlyList<string> Evidence,
    string? AssignedTo,
    DisputeResolution? Resolution,
    long CommentsCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt) : IHasId;

public static class DisputeStore
{
    /// <summary>A dispute belongs to the buyer and the seller of its order.</summary>
    public static readonly UserTokenAccess UserTokenAccess = new UserTokenAccess.OwnedResource("""
        SELECT o.buyer_id FROM disputes d JOIN orders o ON o.id = d.order_id WHERE d.id = @id
        UNION ALL SELECT o.seller_id FROM disputes d JOIN orders o ON o.id = d.order_id WHERE d.id = @id
        """, ApiErrors.DisputeNotFound, "Dispute");

    private const string CountSql = "SELECT COUNT(*) FROM dispute_comments WHERE dispute_id = @id";

    public static async Task<DisputeRow> GetAsync(Db db, string id, CancellationToken ct) =>
        await ResourceRows.FindAsync<DisputeRow>(db, DisputeStates.Table, DisputeRow.Columns, "id", id, ct) ?? throw NotFound(id);

    public static async Task<DisputeRow> LockAsync(Db db, string id, CancellationToken ct) =>
        await ResourceRows.LockAsync<DisputeRow>(db, DisputeStates.Table, DisputeRow.Columns, id, ct) ?? throw NotFound(id);

    public static Task<DisputeRow?> FindByOrderAsync(Db db, string orderId, CancellationToken ct) =>
        ResourceRows.FindAsync<DisputeRow>(db, DisputeStates.Table, DisputeRow.Columns, "order_id", orderId, ct);

    public static async Task<DisputeResponse> ResponseAsync(Db db, DisputeRow dispute, CancellationToken ct) =>
        dispute.ToResponse(await db.ExecuteScalarAsync<long>(CountSql, new { id = dispute.Id }, ct));

    private static ApiException NotFound(string id) => ApiErrors.NotFound(ApiErrors.DisputeNotFound, "Dispute", id);
}
