using System.Text.Json;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Orders;

/// <summary>The order resource of api.md.</summary>
public sealed record OrderResponse(
    string Id,
    string? ClientOrderRef,
    string Status,
    string? Resolution,
    string BuyerId,
    string SellerId,
    string Amount,
    string Currency,
    string? Title,
    string? Description,
    IReadOnlyList<MilestoneResponse> Milestones,
    JsonElement? Metadata,
    EscrowSummary? Escrow,
    string? DisputeId,
    string ReleasedAmount,
    string RefundedAmount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt) : IHasId;

public sealed record MilestoneResponse(string MilestoneRef, string? Title, string Amount, string Status);

public sealed record EscrowSummary(string EscrowId, string? TrustlessContractId, string Status);

public sealed record OrderRow(
    string Id,
    string? ClientOrderRef,
    string Status,
    string? Resolution,
    string BuyerId,
    string SellerId,
    long Amount,
    string Currency,
    string? Title,
    string? Description,
    string? Metadata,
    long ReleasedAmount,
    long RefundedAmount,
    long CreatedAt,
    long UpdatedAt)
{
    public const string Columns = "id, client_order_ref, status, resolution, buyer_id, seller_id, amount, currency, title, description, metadata, released_amount, refunded_amount, created_at, updated_at";

    public IReadOnlyList<string> UserIds => [BuyerId, SellerId];

    public OrderResponse ToResponse(IReadOnlyList<MilestoneRow> milestones, EscrowSummary? escrow = null, string? disputeId = null) => new(
        Id,
        ClientOrderRef,
        Status,
        Resolution,
        BuyerId,
        SellerId,
        OfferHub.Lite.Infrastructure.Money.Amount.Format(Amount),
        Currency,
        Title,
        Description,
        milestones.Select(m => new MilestoneResponse(m.MilestoneRef, m.Title, OfferHub.Lite.Infrastructure.Money.Amount.Format(m.Amount), m.Status)).ToList(),
        Metadata is null ? null : JsonDocument.Parse(Metadata).RootElement.Clone(),
        escrow,
        disputeId,
        OfferHub.Lite.Infrastructure.Money.Amount.Format(ReleasedAmount),
        OfferHub.Lite.Infrastructure.Money.Amount.Format(RefundedAmount),
        Timestamps.FromMs(CreatedAt),
        Timestamps.FromMs(UpdatedAt));
}

public sealed record MilestoneRow(string OrderId, string MilestoneRef, long Position, string? Title, long Amount, string Status)
{
    public const string Columns = "order_id, milestone_ref, position, title, amount, status";
}
