using OfferHub.Lite.Infrastructure.StateMachines;

namespace OfferHub.Lite.Features.Withdrawals;

/// <summary>The withdrawal state machine of states.md, as data.</summary>
public static class WithdrawalStates
{
    public const string Table = "withdrawals";
    public const string Created = "WITHDRAWAL_CREATED";
    public const string Committed = "WITHDRAWAL_COMMITTED";
    public const string Pending = "WITHDRAWAL_PENDING";
    public const string PendingUserAction = "WITHDRAWAL_PENDING_USER_ACTION";
    public const string Completed = "WITHDRAWAL_COMPLETED";
    public const string Failed = "WITHDRAWAL_FAILED";
    public const string Canceled = "WITHDRAWAL_CANCELED";

    public static readonly string[] All = [Created, Committed, Pending, PendingUserAction, Completed, Failed, Canceled];

    public static readonly StateMachine Machine = new("withdrawal",
    [
        new(Created, "commit", Committed),
        new(Created, "cancel", Canceled),
        // Airtm refused to create the payout at all.
        new(Created, "payout_refused", Failed),
        new(Committed, "payout_accepted", Pending),
        new(Committed, "payout_refused", Failed),
        new(Pending, "user_action_required", PendingUserAction),
        new(PendingUserAction, "payout_accepted", Pending),
        new(Pending, "payout_completed", Completed),
        new(Pending, "payout_failed", Failed),
        new(PendingUserAction, "payout_failed", Failed),
        // Airtm cancels a PENDING payout (by the enterprise, or after its pending period) and returns the funds.
        new(Pending, "payout_canceled", Canceled),
        new(PendingUserAction, "payout_canceled", Canceled),
    ]);

    public static bool IsTerminal(string status) => status is Completed or Failed or Canceled;

    public static string EventFor(string status) => "withdrawal." + status["WITHDRAWAL_".Length..].ToLowerInvariant();
}
