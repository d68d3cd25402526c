using OfferHub.Lite.Infrastructure.Primitives;

using Cents = OfferHub.Lite.Infrastructure.Money.Amount;

namespace OfferHub.Lite.Features.Escrow;

public sealed record EscrowRow(
    string Id,
    string OrderId,
    string? ContractId,
    long MultiRelease,
    string Status,
    long Amount,
    long FundedAmount,
    long ReleasedAmount,
    long RefundedAmount,
    long AllowPartialRelease,
    long AllowPartialRefund,
    long CreatedAt,
    long UpdatedAt)
{
    public const string Columns = """
        id, order_id, contract_id, multi_release, status, amount, funded_amount, released_amount, refunded_amount,
        allow_partial_release, allow_partial_refund, created_at, updated_at
        """;

    public bool Multi => MultiRelease == 1;

    /// <summary>What the contract still holds.</summary>
    public long Remaining => FundedAmount - ReleasedAmount - RefundedAmount;
}

/// <summary>One provider step of an escrow operation: which call, on which milestone, and for a
/// resolution how much goes to each side.</summary>
/// <summary>One provider step; Evidence is the newEvidence a milestone status change carries.</summary>
public sealed record EscrowStep(string Kind, int? Milestone = null, long ToSeller = 0, long ToBuyer = 0, string? Evidence = null);

public sealed record EscrowOperationRow(
    string Id,
    string OrderId,
    string OperationKey,
    string Intent,
    string Status,
    string Steps,
    long NextStep,
    string? LastError,
    long CreatedAt,
    long UpdatedAt)
{
    public const string Columns = "id, order_id, operation_key, intent, status, steps, next_step, last_error, created_at, updated_at";

    public IReadOnlyList<EscrowStep> StepList => System.Text.Json.JsonSerializer.Deserialize<List<EscrowStep>>(Steps, ApiJson.Options) ?? [];
}

public sealed record SignatureRow(
    string Id,
    string OperationId,
    long Step,
    long Attempt,
    string OrderId,
    string Operation,
    string SignerRole,
    string SignerAddress,
    string UnsignedXdr,
    string Status,
    string? LastError,
    long ExpiresAt,
    long CreatedAt,
    long UpdatedAt)
{
    public const string Columns = """
        id, operation_id, step, attempt, order_id, operation, signer_role, signer_address, unsigned_xdr, status, last_error, expires_at, created_at, updated_at
        """;

    public SignatureResponse ToResponse() => new(Id, OrderId, Operation, SignerRole, SignerAddress, UnsignedXdr, Status, LastError,
        Timestamps.FromMs(ExpiresAt), Timestamps.FromMs(CreatedAt), Timestamps.FromMs(UpdatedAt));
}

public sealed record SignatureResponse(
    string Id,
    string OrderId,
    string Operation,
    string SignerRole,
    string SignerAddress,
    string UnsignedXdr,
    string Status,
    string? LastError,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt) : Infrastructure.Pipeline.IHasId;

public sealed record EscrowMilestoneResponse(string MilestoneRef, string Amount, string Status);

public sealed record EscrowResponse(
    string EscrowId,
    string? TrustlessContractId,
    string Status,
    string Type,
    string Amount,
    string FundedAmount,
    string ReleasedAmount,
    string RefundedAmount,
    IReadOnlyList<EscrowMilestoneResponse> Milestones,
    SignatureResponse? PendingSignature)
{
    public static EscrowResponse From(EscrowRow escrow, IReadOnlyList<Orders.MilestoneRow> milestones, SignatureRow? pending) => new(
        escrow.Id,
        escrow.ContractId,
        escrow.Status,
        escrow.Multi ? "multi-release" : "single-release",
        Cents.Format(escrow.Amount),
        Cents.Format(escrow.FundedAmount),
        Cents.Format(escrow.ReleasedAmount),
        Cents.Format(escrow.RefundedAmount),
        [.. milestones.Select(m => new EscrowMilestoneResponse(m.MilestoneRef, Cents.Format(m.Amount), m.Status))],
        pending?.ToResponse());
}
