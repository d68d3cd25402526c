namespace OfferHub.Lite.Infrastructure.Ledger;

/// <summary>The ledger's account names (states.md), each a real place money sits; where each is
/// and which provider operation moves money between them is docs/money-model.md.</summary>
public static class Accounts
{
    public const string AirtmPayins = "airtm:payins";
    public const string AirtmPayouts = "airtm:payouts";

    /// <summary>The fees Airtm took (a real place: Airtm's own revenue), as its answers report them:
    /// each confirmed pay-in's <c>airtmFee</c> (charged to the enterprise account, which receives
    /// <c>netAmount</c>) and each completed payout's <c>airtmFee</c> (withheld from what the recipient
    /// receives). Only grows. With <see cref="AirtmPayins"/> and <see cref="AirtmPayouts"/> it gives
    /// what the enterprise Airtm account should hold: opening balance − airtm:payins − airtm:payouts − airtm:fees.</summary>
    public const string AirtmFees = "airtm:fees";

    /// <summary>The marketplace operator's own money in the enterprise Airtm account. A top-up credits
    /// the user the full amount while Airtm keeps its pay-in fee, so the operator pays that fee: this
    /// account goes below zero by the fees it has absorbed (what the operator must fund).</summary>
    public const string PlatformFunds = "platform:funds";

    /// <summary>The treasury Stellar wallet, as the change since its float (TREASURY_FLOAT) was
    /// counted: it goes below zero while the float is lent to open escrows.</summary>
    public const string TreasuryWallet = "treasury:wallet";

    /// <summary>Trustless Work's protocol fee on releases: money that left to Trustless Work.</summary>
    public const string TrustlessWorkFees = "fees:trustless_work";

    /// <summary>The platform fee of releases, paid by the contract to the platform address.</summary>
    public const string PlatformFees = "fees:platform";

    public static string Available(string userId) => $"user:{userId}:available";

    public static string Reserved(string userId) => $"user:{userId}:reserved";

    public static string PendingWithdrawal(string userId) => $"user:{userId}:pending_withdrawal";

    public static string Escrow(string orderId) => $"escrow:{orderId}";

    /// <summary>Only the outside world's side of pay-ins, the operator's own funds, and the
    /// treasury measured against its float go below zero.</summary>
    public static bool MayGoNegative(string account) => account is AirtmPayins or PlatformFunds or TreasuryWallet;

    public static string? UserOf(string account) =>
        account.StartsWith("user:", StringComparison.Ordinal) ? account.Split(':')[1] : null;

    public static string[] OfUser(string userId) => [Available(userId), Reserved(userId), PendingWithdrawal(userId)];
}
