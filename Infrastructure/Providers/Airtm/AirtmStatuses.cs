namespace OfferHub.Lite.Infrastructure.Providers.Airtm;

/// <summary>providers.md's mapping of Airtm statuses to ours, in one place so that an unconfirmed
/// detail can be corrected without touching the slices. Unknown statuses map to null: they are
/// logged and left for reconciliation, never a crash.</summary>
public static class AirtmStatuses
{
    public static string? TopupStatusFor(string payinStatus) => payinStatus switch
    {
        "CREATED" => "TOPUP_AWAITING_USER_CONFIRMATION",
        "PROCESSING" => "TOPUP_PROCESSING",
        "CONFIRMED" => "TOPUP_SUCCEEDED",
        "FAILED" or "BRIDGE_FAILED" => "TOPUP_FAILED",
        "CANCELED" or "BRIDGE_CANCELED" => "TOPUP_CANCELED",
        _ => null,
    };

    public static string? WithdrawalStatusFor(string payoutStatus) => payoutStatus switch
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
