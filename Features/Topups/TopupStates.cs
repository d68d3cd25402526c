using OfferHub.Lite.Infrastructure.StateMachines;

namespace OfferHub.Lite.Features.Topups;

/// <summary>The top-up state machine of states.md, as data.</summary>
public static class TopupStates
{
    public const string Table = "topups";
    public const string Created = "TOPUP_CREATED";
    public const string AwaitingConfirmation = "TOPUP_AWAITING_USER_CONFIRMATION";
    public const string Processing = "TOPUP_PROCESSING";
    public const string Succeeded = "TOPUP_SUCCEEDED";
    public const string Failed = "TOPUP_FAILED";
    public const string Canceled = "TOPUP_CANCELED";

    public static readonly string[] All = [Created, AwaitingConfirmation, Processing, Succeeded, Failed, Canceled];

    public static readonly StateMachine Machine = new("topup",
    [
        new(Created, "payin_created", AwaitingConfirmation),
        // Airtm refused to create the pay-in: nothing can ever be paid into this top-up.
        new(Created, "payin_refused", Failed),
        new(AwaitingConfirmation, "confirm", Processing),
        new(AwaitingConfirmation, "cancel", Canceled),
        new(Processing, "paid", Succeeded),
        new(Processing, "reject", Failed),
    ]);

    public static bool IsTerminal(string status) => status is Succeeded or Failed or Canceled;

    /// <summary>topup.confirmation_required, topup.processing, ... (events.md catalog).</summary>
    public static string EventFor(string status) => "topup." + status switch
    {
        AwaitingConfirmation => "confirmation_required",
        _ => status["TOPUP_".Length..].ToLowerInvariant(),
    };
}
