namespace OfferHub.Lite.Infrastructure.Ledger;

/// <summary>The ledger's account names (states.md), each a real place money sits; where each is
/// and which provider operation moves money between them is docs/money-model.md.</summary>
public static class Accounts
{
    public const string AirtmPayins = "airtm:payins";
    public const string AirtmPayouts = "airtm:payouts";

    /// <summary>The marketplace's own money in the enterprise Airtm account: what buyers paid into
    /// escrows (funded from the treasury's float) less what releases and refunds credited back.</summary>
    public const string MarketplaceAirtm = "airtm:marketplace";

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

    /// <summary>Only the outside world's side of pay-ins, and the treasury measured against its
    /// float, go below zero.</summary>
    public static bool MayGoNegative(string account) => account is AirtmPayins or TreasuryWallet;

    public static string? UserOf(string account) =>
        account.StartsWith("user:", StringComparison.Ordinal) ? account.Split(':')[1] : null;

    public static string[] OfUser(string userId) => [Available(userId), Reserved(userId), PendingWithdrawal(userId)];
}
