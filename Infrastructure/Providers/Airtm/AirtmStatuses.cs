namespace OfferHub.Lite.Infrastructure.Providers.Airtm;

/// <summary>The mapping of Airtm's PayinStatus and PayoutStatus (OpenAPI 1.87.0) to ours, in one
/// place. Airtm's FAQ asks for case-insensitive comparison of status strings, so every comparison
/// goes through here. Unknown statuses map to null: they are logged and left for reconciliation,
/// never a crash.</summary>
public static class AirtmStatuses
{
    /// <summary>A case-insensitive status comparison (Airtm: "use case-insensitive comparisons").</summary>
    public static bool Is(string? status, string expected) => string.Equals(status, expected, StringComparison.OrdinalIgnoreCase);

    public static string? TopupStatusFor(string payinStatus) => payinStatus.ToUpperInvariant() switch
    {
        "CREATED" => "TOPUP_AWAITING_USER_CONFIRMATION",
        "PROCESSING" => "TOPUP_PROCESSING",
        "CONFIRMED" => "TOPUP_SUCCEEDED",
        "FAILED" or "BRIDGE_FAILED" => "TOPUP_FAILED",
        "CANCELED" or "BRIDGE_CANCELED" => "TOPUP_CANCELED",
        _ => null,
    };

    public static string? WithdrawalStatusFor(string payoutStatus) => payoutStatus.ToUpperInvariant() switch
    {
        "CREATED" => "WITHDRAWAL_CREATED",
        "COMMITTED" => "WITHDRAWAL_COMMITTED",
        "PENDING" or "PROCESSING" or "PENDING_SIGNATURE" or "SIGNED" or "BRIDGE_CREATED" or "CANCEL_REQUESTED" => "WITHDRAWAL_PENDING",
        "PENDING_USER_ACTION" or "BRIDGE_USER_SIGNUP_PENDING" => "WITHDRAWAL_PENDING_USER_ACTION",
        "COMPLETED" or "BRIDGE_COMPLETED" or "COSMOEM_COMPLETED" => "WITHDRAWAL_COMPLETED",
        "FAILED" or "ERROR" or "BRIDGE_FAILED" or "BRIDGE_MAX_RETRIES_REACHED" => "WITHDRAWAL_FAILED",
        "CANCELED" => "WITHDRAWAL_CANCELED",
        _ => null,
    };
}
