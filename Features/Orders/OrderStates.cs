using OfferHub.Lite.Infrastructure.StateMachines;

namespace OfferHub.Lite.Features.Orders;

/// <summary>The order state machine of states.md, as data.</summary>
public static class OrderStates
{
    public const string Created = "ORDER_CREATED";
    public const string FundsReserved = "FUNDS_RESERVED";
    public const string EscrowCreating = "ESCROW_CREATING";
    public const string EscrowFunding = "ESCROW_FUNDING";
    public const string EscrowFunded = "ESCROW_FUNDED";
    public const string InProgress = "IN_PROGRESS";
    public const string ReleaseRequested = "RELEASE_REQUESTED";
    public const string Released = "RELEASED";
    public const string RefundRequested = "REFUND_REQUESTED";
    public const string Refunded = "REFUNDED";
    public const string Disputed = "DISPUTED";
    public const string Closed = "CLOSED";

    public static readonly string[] All =
        [Created, FundsReserved, EscrowCreating, EscrowFunding, EscrowFunded, InProgress, ReleaseRequested, Released, RefundRequested, Refunded, Disputed, Closed];

    public static readonly string[] Resolutions = ["CANCELED", "RELEASED", "REFUNDED", "SPLIT"];

    public static readonly StateMachine Machine = new("order",
    [
        new(Created, "reserve", FundsReserved),
        new(Created, "cancel", Closed),
        new(FundsReserved, "cancel", Closed),
        new(FundsReserved, "create_escrow", EscrowCreating),
        new(EscrowCreating, "escrow_deployed", EscrowFunding),
        new(EscrowFunding, "escrow_funded", EscrowFunded),
        new(EscrowFunded, "start", InProgress),
        new(InProgress, "request_release", ReleaseRequested),
        new(ReleaseRequested, "release_confirmed", Released),
        new(InProgress, "request_refund", RefundRequested),
        new(RefundRequested, "refund_confirmed", Refunded),
        new(InProgress, "partial_confirmed", InProgress),
        new(InProgress, "open_dispute", Disputed),
        new(Disputed, "resolution_release", Released),
        new(Disputed, "resolution_refund", Refunded),
        new(Disputed, "resolution_split", Closed),
        new(Released, "close", Closed),
        new(Refunded, "close", Closed),
    ]);

    /// <summary>The domain event named after the state an order enters (events.md catalog).</summary>
    public static string EventFor(string status) => "order." + status switch
    {
        EscrowFunded => "escrow_funded",
        _ => status.ToLowerInvariant(),
    };
}
