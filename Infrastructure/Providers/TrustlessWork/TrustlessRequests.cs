using System.Globalization;

namespace OfferHub.Lite.Infrastructure.Providers.TrustlessWork;

/// <summary>Every Trustless Work request body, built in one place so that a field name found to
/// differ from the published API is corrected here only. milestoneIndex travels as a string, as
/// in Trustless Work's examples.</summary>
public static class TrustlessRequests
{
    public static object Fund(string contractId, string signer, long cents) =>
        new { contractId, signer, amount = ProviderMoney.ToDecimal(cents) };

    public static object ChangeMilestoneStatus(string contractId, int index, string newStatus, string? evidence, string serviceProvider) =>
        new { contractId, milestoneIndex = Index(index), newStatus, newEvidence = evidence, serviceProvider };

    public static object ApproveMilestone(string contractId, int index, string approver) =>
        new { contractId, milestoneIndex = Index(index), approver };

    public static object ReleaseFunds(string contractId, string releaseSigner) => new { contractId, releaseSigner };

    public static object ReleaseMilestoneFunds(string contractId, int index, string releaseSigner) =>
        new { contractId, milestoneIndex = Index(index), releaseSigner };

    public static object Dispute(string contractId, int? index, string signer) =>
        index is { } i ? new { contractId, milestoneIndex = Index(i), signer } : new { contractId, signer };

    /// <summary>The resolver's distribution between receiver (seller) and approver (buyer); a refund
    /// is a resolution that gives everything to the approver.</summary>
    public static object ResolveDispute(string contractId, int? index, string disputeResolver, IReadOnlyList<Distribution> distributions) =>
        index is { } i
            ? new { contractId, milestoneIndex = Index(i), disputeResolver, distributions }
            : new { contractId, disputeResolver, distributions };

    private static string Index(int index) => index.ToString(CultureInfo.InvariantCulture);
}
