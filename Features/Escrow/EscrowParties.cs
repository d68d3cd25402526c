using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Providers.TrustlessWork;

namespace OfferHub.Lite.Features.Escrow;

/// <summary>Who plays which escrow role (docs/money-model.md). The users' linked Stellar addresses
/// hold the non-custodial control: the buyer's approves and disputes, the seller's marks milestones
/// done and disputes; they hold no escrowed money. The treasury wallet funds the contract and
/// receives every release and refund. The platform deploys and releases; the dispute resolver is
/// its own address, so it is never the party that opened a dispute, even when the platform stands
/// in for a user who has linked no address.</summary>
public sealed record EscrowParties(string Approver, string ServiceProvider, string Platform, string Treasury, string DisputeResolver)
{
    private const string AddressSql = "SELECT stellar_address FROM users WHERE id = @id";

    /// <summary>The roles of a deploy; multi-release roles have no receiver (each milestone names the treasury).</summary>
    public EscrowRoles RolesFor(bool multi) => new(Approver, ServiceProvider, Platform, Platform, DisputeResolver, multi ? null : Treasury);

    public static async Task<EscrowParties> ForAsync(Db db, OrderRow order, OfferHubOptions options, CancellationToken ct)
    {
        var platform = options.Trustless.PlatformAddress!;
        var buyer = await db.QuerySingleOrDefaultAsync<string>(AddressSql, new { id = order.BuyerId }, ct);
        var seller = await db.QuerySingleOrDefaultAsync<string>(AddressSql, new { id = order.SellerId }, ct);
        return new EscrowParties(buyer ?? platform, seller ?? platform, platform, options.Trustless.TreasuryAddress!, options.Trustless.DisputeResolverAddress!);
    }

    /// <summary>The role and address that must sign a step.</summary>
    public (string Role, string Address) SignerOf(EscrowStep step, string? disputeOpener) => step.Kind switch
    {
        EscrowSteps.Deploy => ("platform", Platform),
        EscrowSteps.Fund => ("treasury", Treasury),
        EscrowSteps.ApproveMilestone => ("approver", Approver),
        EscrowSteps.CompleteMilestone => ("service_provider", ServiceProvider),
        EscrowSteps.Release or EscrowSteps.ReleaseMilestone => ("release_signer", Platform),
        EscrowSteps.Dispute or EscrowSteps.DisputeMilestone => disputeOpener == "seller" ? ("service_provider", ServiceProvider) : ("approver", Approver),
        _ => ("dispute_resolver", DisputeResolver),
    };
}

public static class EscrowSteps
{
    public const string Deploy = "deploy";
    public const string Fund = "fund";
    public const string CompleteMilestone = "complete_milestone";
    public const string ApproveMilestone = "approve_milestone";
    public const string Release = "release";
    public const string ReleaseMilestone = "release_milestone";
    public const string Dispute = "dispute";
    public const string DisputeMilestone = "dispute_milestone";
    public const string Resolve = "resolve";
    public const string ResolveMilestone = "resolve_milestone";

    /// <summary>The Trustless Work operation a step runs, as notifications name it.</summary>
    public static string ProviderOperation(string kind) => kind switch
    {
        Deploy => "deploy",
        Fund => "fund-escrow",
        CompleteMilestone => "change-milestone-status",
        ApproveMilestone => "approve-milestone",
        Release => "release-funds",
        ReleaseMilestone => "release-milestone-funds",
        Dispute => "dispute-escrow",
        DisputeMilestone => "dispute-milestone",
        Resolve => "resolve-dispute",
        _ => "resolve-milestone-dispute",
    };
}
