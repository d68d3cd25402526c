using OfferHub.Lite.Infrastructure.StateMachines;

namespace OfferHub.Lite.Features.Escrow;

/// <summary>The escrow machine of states.md (the mirror of the Trustless Work contract), and
/// the signature request machine, as data.</summary>
public static class EscrowStates
{
    public const string Table = "escrows";
    public const string Creating = "CREATING";
    public const string Created = "CREATED";
    public const string Funding = "FUNDING";
    public const string Funded = "FUNDED";
    public const string Releasing = "RELEASING";
    public const string Released = "RELEASED";
    public const string Refunding = "REFUNDING";
    public const string Refunded = "REFUNDED";
    public const string Disputed = "DISPUTED";
    public const string Resolved = "RESOLVED";

    public static readonly StateMachine Machine = new("escrow",
    [
        new(Creating, "deployed", Created),
        new(Created, "fund", Funding),
        new(Funding, "funded", Funded),
        new(Funded, "release", Releasing),
        new(Releasing, "released", Released),
        new(Funded, "refund", Refunding),
        new(Refunding, "refunded", Refunded),
        new(Funded, "dispute", Disputed),
        new(Disputed, "resolved_release", Released),
        new(Disputed, "resolved_refund", Refunded),
        new(Disputed, "resolved_split", Resolved),
    ]);

    /// <summary>Moves the escrow through <see cref="Machine"/> in the caller's transaction.</summary>
    public static Task<string> MoveEscrowAsync(this StateChanges states, EscrowRow escrow, string action, CancellationToken ct) =>
        states.MoveAsync(Machine, Table, escrow.Id, escrow.Status, action, null, ct);
}

public static class SignatureStates
{
    public const string Table = "signatures";
    public const string Pending = "PENDING";
    public const string Submitted = "SUBMITTED";
    public const string Confirmed = "CONFIRMED";
    public const string Expired = "EXPIRED";

    public static readonly string[] All = [Pending, Submitted, Confirmed, Expired];

    public static readonly StateMachine Machine = new("signature",
    [
        new(Pending, "submit", Submitted),
        // The network did not answer, or refused it: a signed transaction may be submitted again.
        new(Submitted, "retry", Pending),
        new(Submitted, "confirm", Confirmed),
        // A notification can confirm a transaction the signer submitted elsewhere.
        new(Pending, "confirm", Confirmed),
        new(Pending, "expire", Expired),
    ]);
}
