namespace OfferHub.Lite.Infrastructure.Ledger;

/// <summary>The ledger's account names (states.md).</summary>
public static class Accounts
{
    public const string AirtmPayins = "airtm:payins";
    public const string AirtmPayouts = "airtm:payouts";

    public static string Available(string userId) => $"user:{userId}:available";

    public static string Reserved(string userId) => $"user:{userId}:reserved";

    public static string PendingWithdrawal(string userId) => $"user:{userId}:pending_withdrawal";

    public static string Escrow(string orderId) => $"escrow:{orderId}";

    /// <summary>Only the outside world's side of pay-ins goes below zero.</summary>
    public static bool MayGoNegative(string account) => account == AirtmPayins;

    public static string? UserOf(string account) =>
        account.StartsWith("user:", StringComparison.Ordinal) ? account.Split(':')[1] : null;

    public static string[] OfUser(string userId) => [Available(userId), Reserved(userId), PendingWithdrawal(userId)];
}
