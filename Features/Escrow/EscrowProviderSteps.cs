using System.Text.Json;
using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Providers;
using OfferHub.Lite.Infrastructure.Providers.TrustlessWork;

namespace OfferHub.Lite.Features.Escrow;

/// <summary>What an escrow step is outside our database: the unsigned transaction Trustless Work
/// builds for it, the signature the external signing service may give, and whether the contract as
/// Trustless Work shows it proves the step happened. Nothing here writes.</summary>
public sealed partial class EscrowProviderSteps(Db db, TrustlessClient trustless, IHttpClientFactory clients, OfferHubOptions options, ILogger<EscrowProviderSteps> logger)
{
    public const string SignerClientName = "trustless-signer";

    /// <summary>Asks Trustless Work for the step's unsigned transaction, signed by <paramref name="signer"/>.</summary>
    public async Task<TransactionToSign> TransactionAsync(EscrowStep step, OrderRow order, EscrowRow escrow, EscrowParties parties, string signer, CancellationToken ct)
    {
        var contract = escrow.ContractId ?? string.Empty;
        var index = step.Milestone ?? 0;
        // Custody (docs/money-model.md): whatever the resolution gives the seller or the buyer goes
        // back to the treasury wallet, and the ledger credits each user's share; one distribution.
        Distribution[] Distributions() => [new Distribution(parties.Treasury, ProviderMoney.ToDecimal(step.ToSeller + step.ToBuyer))];
        return step.Kind switch
        {
            EscrowSteps.Deploy => await trustless.DeployAsync(escrow.Multi, await DeployRequestAsync(order, escrow, parties, ct), ct),
            EscrowSteps.Fund => await trustless.FundAsync(escrow.Multi, TrustlessRequests.Fund(contract, signer, escrow.Amount), ct),
            EscrowSteps.CompleteMilestone => await trustless.ChangeMilestoneStatusAsync(escrow.Multi,
                TrustlessRequests.ChangeMilestoneStatus(contract, index, "completed", step.Evidence ?? $"OfferHub order {order.Id}, milestone {index}: delivered", signer), ct),
            EscrowSteps.ApproveMilestone => await trustless.ApproveMilestoneAsync(escrow.Multi, TrustlessRequests.ApproveMilestone(contract, index, signer), ct),
            EscrowSteps.Release => await trustless.ReleaseFundsAsync(TrustlessRequests.ReleaseFunds(contract, signer), ct),
            EscrowSteps.ReleaseMilestone => await trustless.ReleaseMilestoneFundsAsync(TrustlessRequests.ReleaseMilestoneFunds(contract, index, signer), ct),
            EscrowSteps.Dispute => await trustless.DisputeAsync(false, TrustlessRequests.Dispute(contract, null, signer), ct),
            EscrowSteps.DisputeMilestone => await trustless.DisputeAsync(true, TrustlessRequests.Dispute(contract, index, signer), ct),
            EscrowSteps.Resolve => await trustless.ResolveDisputeAsync(false, TrustlessRequests.ResolveDispute(contract, null, signer, Distributions()), ct),
            _ => await trustless.ResolveDisputeAsync(true, TrustlessRequests.ResolveDispute(contract, index, signer, Distributions()), ct),
        };
    }

    private async Task<DeployRequest> DeployRequestAsync(OrderRow order, EscrowRow escrow, EscrowParties parties, CancellationToken ct)
    {
        var milestones = await OrderStore.MilestonesAsync(db, [order.Id], ct);
        IReadOnlyList<DeployMilestone> contractMilestones = escrow.Multi
            ? [.. milestones.Select(m => new DeployMilestone(m.Title ?? m.MilestoneRef, ProviderMoney.ToDecimal(m.Amount), parties.Treasury))]
            : [new DeployMilestone(order.Title ?? "Order delivery")];
        return new DeployRequest(parties.Platform, order.Id, order.Title ?? $"Order {order.Id}", order.Description ?? $"OfferHub order {order.Id}", parties.RolesFor(escrow.Multi),
            escrow.Multi ? null : ProviderMoney.ToDecimal(escrow.Amount), options.Trustless.PlatformFeePercent, contractMilestones, new Trustline(options.Trustless.UsdcIssuer, "USDC"));
    }

    /// <summary>The signed transaction from the external signing service, or null when it did not
    /// sign now (held, refused or unreachable): the request then waits for /submit.</summary>
    public async Task<string?> AskSignerAsync(SignatureRow signature, CancellationToken ct)
    {
        try
        {
            using var response = await clients.CreateClient(SignerClientName).PostAsJsonAsync(options.Trustless.SignerUrl, new
            {
                signature_id = signature.Id,
                operation = signature.Operation,
                signer_role = signature.SignerRole,
                signer_address = signature.SignerAddress,
                unsigned_xdr = signature.UnsignedXdr,
            }, ct);
            if (response.StatusCode == System.Net.HttpStatusCode.OK
                && (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).TryGetProperty("signed_xdr", out var signed) && signed.GetString() is { Length: > 0 } xdr)
            {
                return xdr;
            }

            LogSignerDeclined(signature.Id, (int)response.StatusCode);
        }
        catch (Exception failure) when (failure is HttpRequestException or JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogSignerUnreachable(signature.Id, failure.GetType().Name);
        }

        return null;
    }

    /// <summary>The contract as Trustless Work shows it when that proves <paramref name="step"/>
    /// happened (its confirmation was lost, or its process died before recording it), else null. A
    /// deploy whose answer was lost is found by its engagement id (our order id); any other step is
    /// read from the contract it acts on.</summary>
    public async Task<Infrastructure.Providers.TrustlessWork.Escrow?> HappenedOnChainAsync(EscrowStep step, EscrowRow escrow, CancellationToken ct)
    {
        var onChain = step.Kind == EscrowSteps.Deploy
            ? await trustless.FindByEngagementAsync(escrow.OrderId, ct)
            : escrow.ContractId is { } contract ? await trustless.GetEscrowAsync(contract, ct) : null;
        return onChain is not null && Happened(step, onChain, escrow.Multi, escrow.Amount) ? onChain : null;
    }

    /// <summary>Whether the contract as Trustless Work reports it shows the step's effect. Both escrow
    /// shapes, with every optional field missing, are read without failing: what is absent has not
    /// happened. Single-release: milestones[i].approved and top-level flags; multi-release:
    /// milestones[i].flags.</summary>
    internal static bool Happened(EscrowStep step, Infrastructure.Providers.TrustlessWork.Escrow onChain, bool multi, long amount)
    {
        var milestone = onChain.Milestone(step.Milestone ?? 0);
        return step.Kind switch
        {
            EscrowSteps.Deploy => onChain.ContractId is not null,
            EscrowSteps.Fund => onChain.Balance is { } balance && ProviderMoney.ToCents(TrustlessClient.Provider, balance) >= amount,
            EscrowSteps.CompleteMilestone => !string.IsNullOrEmpty(milestone?.Status),
            EscrowSteps.ApproveMilestone => (multi ? milestone?.Flags?.Approved : milestone?.Approved) == true,
            EscrowSteps.Release => onChain.Flags?.Released == true,
            EscrowSteps.ReleaseMilestone => milestone?.Flags?.Released == true,
            EscrowSteps.Dispute => onChain.Flags?.Disputed == true,
            EscrowSteps.DisputeMilestone => milestone?.Flags?.Disputed == true,
            EscrowSteps.Resolve => onChain.Flags?.Resolved == true,
            _ => milestone?.Flags?.Resolved == true,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signature {SignatureId}: the signer did not sign now ({Status}); waiting for /submit")]
    private partial void LogSignerDeclined(string signatureId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signature {SignatureId}: the signing service could not be reached ({Failure})")]
    private partial void LogSignerUnreachable(string signatureId, string failure);
}
