using System.Text.Json;
using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Infrastructure.Providers.TrustlessWork;
using OfferHub.Lite.Infrastructure.Stellar;

namespace OfferHub.Lite.Tests.Unit;

/// <summary>The escrow read model takes every shape the official types allow (single-release,
/// multi-release, every optional field missing) without failing, and reads each step's effect
/// from the right field of each shape.</summary>
public sealed class TrustlessShapesTests
{
    private static readonly string[] Kinds =
    [
        EscrowSteps.Deploy, EscrowSteps.Fund, EscrowSteps.CompleteMilestone, EscrowSteps.ApproveMilestone, EscrowSteps.Release,
        EscrowSteps.ReleaseMilestone, EscrowSteps.Dispute, EscrowSteps.DisputeMilestone, EscrowSteps.Resolve, EscrowSteps.ResolveMilestone,
    ];

    [Theory]
    [InlineData("""{"engagementId":"ord_1","title":"t","description":"d","amount":10,"platformFee":0,"milestones":[{"description":"m"}],"trustline":{"address":"G","symbol":"USDC"},"user":"G","type":"single-release","roles":{}}""")]
    [InlineData("""{"engagementId":"ord_1","milestones":[{"description":"m","amount":5,"receiver":"G"}],"type":"multi-release"}""")]
    [InlineData("""{"milestones":[]}""")]
    [InlineData("""{}""")]
    public void Minimal_documented_shapes_are_read_as_nothing_happened(string json)
    {
        var escrow = JsonSerializer.Deserialize<Escrow>(json, TrustlessJson.Options)!;
        foreach (var kind in Kinds)
        {
            Assert.False(EscrowProviderSteps.Happened(new EscrowStep(kind, 0), escrow, multi: json.Contains("multi", StringComparison.Ordinal), amount: 1000));
        }
    }

    [Fact]
    public void Single_release_reads_approval_on_the_milestone_and_flags_at_the_top()
    {
        var escrow = JsonSerializer.Deserialize<Escrow>("""
            {"contractId":"C1","balance":0,"flags":{"released":true},"milestones":[{"description":"m","status":"completed","approved":true}]}
            """, TrustlessJson.Options)!;
        Assert.True(EscrowProviderSteps.Happened(new EscrowStep(EscrowSteps.ApproveMilestone), escrow, multi: false, amount: 1000));
        Assert.True(EscrowProviderSteps.Happened(new EscrowStep(EscrowSteps.CompleteMilestone), escrow, multi: false, amount: 1000));
        Assert.True(EscrowProviderSteps.Happened(new EscrowStep(EscrowSteps.Release), escrow, multi: false, amount: 1000));
        Assert.False(EscrowProviderSteps.Happened(new EscrowStep(EscrowSteps.Dispute), escrow, multi: false, amount: 1000));
    }

    [Fact]
    public void Multi_release_reads_each_milestones_flags()
    {
        var escrow = JsonSerializer.Deserialize<Escrow>("""
            {"contractId":"C1","balance":10,"milestones":[{"description":"a","amount":5,"receiver":"G","flags":{"approved":true,"released":true}},{"description":"b","amount":5,"receiver":"G","flags":{"disputed":true}}]}
            """, TrustlessJson.Options)!;
        Assert.True(EscrowProviderSteps.Happened(new EscrowStep(EscrowSteps.ReleaseMilestone, 0), escrow, multi: true, amount: 1000));
        Assert.False(EscrowProviderSteps.Happened(new EscrowStep(EscrowSteps.ReleaseMilestone, 1), escrow, multi: true, amount: 1000));
        Assert.True(EscrowProviderSteps.Happened(new EscrowStep(EscrowSteps.DisputeMilestone, 1), escrow, multi: true, amount: 1000));
        Assert.True(EscrowProviderSteps.Happened(new EscrowStep(EscrowSteps.Fund), escrow, multi: true, amount: 1000));
        Assert.False(EscrowProviderSteps.Happened(new EscrowStep(EscrowSteps.ApproveMilestone, 5), escrow, multi: true, amount: 1000));
    }

    [Fact]
    public void Contract_ids_and_accounts_are_valid_strkeys()
    {
        var contract = StellarAddress.ContractFromHash(new byte[32]);
        Assert.True(StellarAddress.IsValidContract(contract));
        Assert.StartsWith("C", contract, StringComparison.Ordinal);
        Assert.Equal(56, contract.Length);
        Assert.False(StellarAddress.IsValid(contract));
        var corrupted = contract[..^1] + (contract[^1] == 'A' ? 'B' : 'A');
        Assert.False(StellarAddress.IsValidContract(corrupted));
        Assert.True(StellarAddress.IsValid(StellarAddress.FromPublicKey(new byte[32])));
    }
}
