using System.Text.Json;
using System.Text.Json.Serialization;

namespace OfferHub.Lite.Infrastructure.Providers.TrustlessWork;

// Trustless Work REST shapes (providers.md). Field names are Trustless Work's (camelCase);
// amounts are USDC decimal numbers, converted from cents with ProviderMoney.

public sealed record EscrowRoles(string Approver, string ServiceProvider, string PlatformAddress, string ReleaseSigner, string DisputeResolver, string Receiver);

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

/// <summary>What every write answers: an unsigned transaction to sign (deploy adds the contract id).</summary>
public sealed record TransactionToSign(string Status, string UnsignedTransaction, string? ContractId);

public sealed record Distribution(string Address, decimal Amount);

public sealed record SendTransactionRequest(string SignedXdr);

public sealed record SendTransactionResult(string Status, string? Message);

public sealed record EscrowFlags(bool Disputed, bool Released, bool Resolved, bool Approved);

public sealed record EscrowMilestone(string Description, string Status, decimal? Amount, string? Receiver, EscrowFlags? Flags);

public sealed record Escrow(
    string ContractId,
    string EngagementId,
    string Type,
    decimal Amount,
    decimal Balance,
    EscrowRoles Roles,
    EscrowFlags Flags,
    IReadOnlyList<EscrowMilestone> Milestones);

/// <summary>A signed notification from the operator's indexer/relay (or the simulator):
/// {event_id, type, data{contract_id, engagement_id, ...}}.</summary>
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
