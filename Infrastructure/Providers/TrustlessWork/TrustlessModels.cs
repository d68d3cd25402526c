using System.Text.Json;
using System.Text.Json.Serialization;

namespace OfferHub.Lite.Infrastructure.Providers.TrustlessWork;

// Trustless Work REST shapes, as the official package @trustless-work/escrow 3.0.5 types them
// (types.d.ts; docs/providers/trustless-work.md says where the REST docs differ). Field names are
// Trustless Work's (camelCase); amounts are USDC decimal numbers, converted with ProviderMoney.

/// <summary>The roles of a deploy. Multi-release contracts have no top-level receiver (each
/// milestone names its own), so Receiver is omitted for them.</summary>
public sealed record EscrowRoles(string Approver, string ServiceProvider, string PlatformAddress, string ReleaseSigner, string DisputeResolver, string? Receiver);

public sealed record Trustline(string Address, string Symbol);

public sealed record DeployMilestone(string Description, decimal? Amount = null, string? Receiver = null);

public sealed record DeployRequest(
    string Signer,
    string EngagementId,
    string Title,
    string Description,
    EscrowRoles Roles,
    decimal? Amount,
    decimal PlatformFee,
    IReadOnlyList<DeployMilestone> Milestones,
    Trustline Trustline);

/// <summary>What every write answers (EscrowRequestResponse): a status and, on success, the
/// unsigned transaction. A deploy answers the same: its contract id only arrives with the
/// send-transaction answer of the signed deploy.</summary>
public sealed record TransactionToSign(string Status, string? UnsignedTransaction);

public sealed record Distribution(string Address, decimal Amount);

public sealed record SendTransactionRequest(string SignedXdr);

/// <summary>SendTransactionResponse {status, message}; for a signed deploy Trustless Work answers
/// InitializeEscrowResponse, which adds contractId and the escrow.</summary>
public sealed record SendTransactionResult(string Status, string? Message, string? ContractId = null, Escrow? Escrow = null)
{
    public const string Success = "SUCCESS";
    public const string Failed = "FAILED";
}

/// <summary>Flags: every member optional in the official types.</summary>
public sealed record EscrowFlags(bool? Disputed = null, bool? Released = null, bool? Resolved = null, bool? Approved = null);

/// <summary>One milestone of either shape: single-release has `approved`; multi-release has
/// `amount`, `receiver` and `flags`. Everything but the description may be missing.</summary>
public sealed record EscrowMilestone(string? Description, string? Status = null, string? Evidence = null, bool? Approved = null,
    decimal? Amount = null, string? Receiver = null, EscrowFlags? Flags = null);

/// <summary>An escrow as get-escrow-by-contract-ids answers it (GetEscrowsFromIndexerResponse, or
/// the escrow of an initialize answer): contractId, balance and flags are optional, multi-release
/// roles carry no receiver and the amount lives on the milestones.</summary>
public sealed record Escrow(
    string? ContractId,
    string? EngagementId,
    string? Type,
    decimal? Amount,
    decimal? Balance,
    EscrowReadRoles? Roles,
    EscrowFlags? Flags,
    IReadOnlyList<EscrowMilestone>? Milestones)
{
    public EscrowMilestone? Milestone(int index) => Milestones is { } all && index >= 0 && index < all.Count ? all[index] : null;
}

public sealed record EscrowReadRoles(string? Approver, string? ServiceProvider, string? PlatformAddress, string? ReleaseSigner, string? DisputeResolver, string? Receiver);

/// <summary>One row of get-multiple-escrow-balance (GetEscrowBalancesResponse).</summary>
public sealed record EscrowBalance(string Address, decimal Balance);

/// <summary>A signed notification from an indexer or relay the operator runs (our own format,
/// not Trustless Work's: it sends none): {event_id, type, data{contract_id, engagement_id, ...}}.</summary>
public sealed record TrustlessNotification(
    [property: JsonPropertyName("event_id")] string EventId,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("data")] JsonElement Data);

public static class TrustlessJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
