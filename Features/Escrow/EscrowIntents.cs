namespace OfferHub.Lite.Features.Escrow;

/// <summary>The logical escrow operations (what a caller asked for), each run as steps.</summary>
public static class EscrowIntents
{
    public const string Create = "create_escrow";
    public const string Fund = "fund";
    public const string CompleteMilestone = "complete_milestone";
    public const string ReleaseFull = "release_full";
    public const string ReleaseMilestone = "release_milestone";
    public const string RefundFull = "refund_full";
    public const string RefundMilestone = "refund_milestone";
    public const string OpenDispute = "open_dispute";
    public const string ResolveDispute = "resolve_dispute";
}
