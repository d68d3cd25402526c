using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using OfferHub.Lite.Infrastructure.Configuration;

namespace OfferHub.Lite.Infrastructure.Providers.TrustlessWork.Simulator;

/// <summary>The built-in Trustless Work: escrow contracts with roles, milestones, flags and a USDC
/// balance, in memory. Writes return an opaque "unsigned XDR" that encodes the operation and the
/// address that must sign it; send-transaction checks that signature and applies the effect, the
/// way the chain would, then announces it with a signed notification.</summary>
public sealed class TrustlessSimulator(TrustlessCallbacks callbacks, OfferHubOptions options) : IDisposable
{
    // Trustless Work's documented limit, enforced the way the real API does: 429 past it.
    private readonly SlidingWindowRateLimiter limiter = new(new SlidingWindowRateLimiterOptions
    {
        PermitLimit = options.Trustless.SimulatorRequestsPerMinute,
        Window = TimeSpan.FromMinutes(1),
        SegmentsPerWindow = 6,
        QueueLimit = 0,
    });

    private readonly Lock gate = new();
    private readonly Dictionary<string, Contract> contracts = [];
    private readonly HashSet<string> applied = [];
    private readonly byte[] signingKey = RandomNumberGenerator.GetBytes(32);
    private bool holdSignatures;

    public sealed class SimulatorException(int status, string message) : Exception(message)
    {
        public int Status { get; } = status;
    }

    private sealed class Contract
    {
        public required string ContractId { get; init; }

        public required string EngagementId { get; init; }

        public required bool Multi { get; init; }

        public required EscrowRoles Roles { get; init; }

        public required decimal Amount { get; init; }

        public required List<SimMilestone> Milestones { get; init; }

        public bool Deployed { get; set; }

        public decimal Balance { get; set; }

        public bool Disputed { get; set; }

        public bool Released { get; set; }

        public bool Resolved { get; set; }
    }

    private sealed class SimMilestone
    {
        public required string Description { get; init; }

        public decimal? Amount { get; init; }

        public string? Receiver { get; init; }

        public string Status { get; set; } = "pending";

        public bool Approved { get; set; }

        public bool Released { get; set; }

        public bool Disputed { get; set; }

        public bool Resolved { get; set; }
    }

    public bool TryAdmit()
    {
        using var lease = limiter.AttemptAcquire();
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();

    public bool HoldSignatures
    {
        get
        {
            lock (gate)
            {
                return holdSignatures;
            }
        }

        set
        {
            lock (gate)
            {
                holdSignatures = value;
            }
        }
    }

    public TransactionToSign Deploy(bool multi, JsonElement body)
    {
        var request = body.Deserialize<DeployRequest>(TrustlessJson.Options) ?? throw new SimulatorException(400, "Invalid deploy request");
        if (request.Roles is null || request.Milestones is not { Count: > 0 } || (!multi && request.Amount is not > 0)
            || (multi && request.Milestones.Any(m => m.Amount is not > 0)))
        {
            throw new SimulatorException(400, "Invalid deploy request");
        }

        var contract = new Contract
        {
            ContractId = "C" + Convert.ToHexString(RandomNumberGenerator.GetBytes(28)),
            EngagementId = request.EngagementId,
            Multi = multi,
            Roles = request.Roles,
            Amount = multi ? request.Milestones.Sum(m => m.Amount!.Value) : request.Amount!.Value,
            Milestones = [.. request.Milestones.Select(m => new SimMilestone { Description = m.Description, Amount = m.Amount, Receiver = m.Receiver })],
        };
        lock (gate)
        {
            contracts[contract.ContractId] = contract;
        }

        return Unsigned("deploy", contract.ContractId, request.Signer, body) with { ContractId = contract.ContractId };
    }

    /// <summary>Any write but deploy: checked against the contract, answered with the XDR to sign.</summary>
    public TransactionToSign Prepare(string operation, JsonElement body)
    {
        var contractId = body.TryGetProperty("contractId", out var id) ? id.GetString() : null;
        lock (gate)
        {
            var contract = contractId is null ? null : contracts.GetValueOrDefault(contractId);
            if (contract is not { Deployed: true })
            {
                throw new SimulatorException(404, "Escrow not found");
            }

            var signer = operation switch
            {
                "change-milestone-status" => Text(body, "serviceProvider"),
                "approve-milestone" => Text(body, "approver"),
                "release-funds" or "release-milestone-funds" => Text(body, "releaseSigner"),
                "resolve-dispute" or "resolve-milestone-dispute" => Text(body, "disputeResolver"),
                _ => Text(body, "signer"),
            };
            return Unsigned(operation, contract.ContractId, signer, body);
        }
    }

    /// <summary>What a wallet does: appends the holder's signature to the transaction.</summary>
    public string Sign(string unsignedXdr, string signerAddress) =>
        $"{unsignedXdr}.{signerAddress}.{Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(unsignedXdr + signerAddress)))}";

    public SendTransactionResult Send(string signedXdr)
    {
        var parts = signedXdr.Split('.');
        if (parts.Length != 3 || Sign(parts[0], parts[1]) != signedXdr)
        {
            throw new SimulatorException(400, "Malformed or forged transaction");
        }

        var transaction = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(parts[0])))!;
        var operation = transaction["op"]!.GetValue<string>();
        var contractId = transaction["contractId"]!.GetValue<string>();
        var required = transaction["signer"]!.GetValue<string>();
        var args = transaction["args"]!;
        lock (gate)
        {
            if (!applied.Add(parts[0]))
            {
                return new SendTransactionResult("SUCCESS", "Transaction already applied");
            }

            try
            {
                if (parts[1] != required)
                {
                    throw new SimulatorException(400, "The transaction is not signed by the required signer");
                }

                var contract = contracts[contractId];
                var (index, amount) = Apply(contract, operation, required, args);
                callbacks.Enqueue("escrow." + operation, new
                {
                    contract_id = contract.ContractId,
                    engagement_id = contract.EngagementId,
                    operation,
                    milestone_index = index,
                    amount,
                    balance = contract.Balance,
                });
                return new SendTransactionResult("SUCCESS", $"{operation} applied");
            }
            catch
            {
                applied.Remove(parts[0]);
                throw;
            }
        }
    }

    public Escrow? Get(string contractId)
    {
        lock (gate)
        {
            return contracts.TryGetValue(contractId, out var c) && c.Deployed ? Snapshot(c) : null;
        }
    }

    private static (int? Index, decimal? Amount) Apply(Contract contract, string operation, string signer, JsonNode args)
    {
        int? index = args["milestoneIndex"] is { } i ? int.Parse(i.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : null;
        var milestone = index is { } m ? (m >= 0 && m < contract.Milestones.Count ? contract.Milestones[m] : throw new SimulatorException(400, "No such milestone")) : null;
        var roles = contract.Roles;
        switch (operation)
        {
            case "deploy":
                contract.Deployed = true;
                return (null, null);
            case "fund-escrow":
                var funding = args["amount"]!.GetValue<decimal>();
                Require(contract.Balance + funding <= contract.Amount, "Funding exceeds the escrow amount");
                contract.Balance += funding;
                return (null, funding);
            case "change-milestone-status":
                Require(signer == roles.ServiceProvider, "Only the service provider changes a milestone's status");
                milestone!.Status = args["newStatus"]!.GetValue<string>();
                return (index, null);
            case "approve-milestone":
                Require(signer == roles.Approver, "Only the approver approves a milestone");
                milestone!.Approved = true;
                milestone.Status = "approved";
                return (index, null);
            case "release-funds":
                Require(signer == roles.ReleaseSigner && !contract.Multi, "Not allowed to release");
                Require(!contract.Disputed && !contract.Released && contract.Milestones.All(x => x.Approved), "Every milestone must be approved and the escrow not disputed");
                var released = contract.Balance;
                contract.Balance = 0;
                contract.Released = true;
                return (null, released);
            case "release-milestone-funds":
                Require(signer == roles.ReleaseSigner && contract.Multi, "Not allowed to release");
                Require(milestone!.Approved && !milestone.Released && !milestone.Disputed && contract.Balance >= milestone.Amount, "The milestone must be approved, funded and not disputed");
                contract.Balance -= milestone.Amount!.Value;
                milestone.Released = true;
                return (index, milestone.Amount);
            case "dispute-escrow":
            case "dispute-milestone":
                Require(signer == roles.Approver || signer == roles.ServiceProvider, "Only the parties open a dispute");
                if (milestone is null)
                {
                    Require(!contract.Released && !contract.Resolved, "Nothing left to dispute");
                    contract.Disputed = true;
                }
                else
                {
                    Require(!milestone.Released && !milestone.Resolved, "Nothing left to dispute");
                    milestone.Disputed = true;
                }

                return (index, null);
            case "resolve-dispute":
            case "resolve-milestone-dispute":
                Require(signer == roles.DisputeResolver, "Only the dispute resolver resolves");
                var total = args["distributions"]!.AsArray().Sum(d => d!["amount"]!.GetValue<decimal>());
                if (milestone is null)
                {
                    Require(contract.Disputed && !contract.Resolved && total == contract.Balance, "The distribution must add up to the balance of a disputed escrow");
                    contract.Resolved = true;
                }
                else
                {
                    Require(milestone.Disputed && !milestone.Resolved && total == milestone.Amount, "The distribution must add up to the disputed milestone");
                    milestone.Resolved = true;
                }

                contract.Balance -= total;
                return (index, total);
            default:
                throw new SimulatorException(400, "Unknown operation");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new SimulatorException(400, message);
        }
    }

    private static string Text(JsonElement body, string property) =>
        body.TryGetProperty(property, out var value) && value.GetString() is { Length: > 0 } text ? text : throw new SimulatorException(400, $"{property} is required");

    private static TransactionToSign Unsigned(string operation, string contractId, string signer, JsonElement args)
    {
        var transaction = JsonSerializer.SerializeToUtf8Bytes(new { op = operation, contractId, signer, args, nonce = Guid.NewGuid() });
        return new TransactionToSign("SUCCESS", Convert.ToBase64String(transaction), null);
    }

    private static Escrow Snapshot(Contract c) => new(
        c.ContractId,
        c.EngagementId,
        c.Multi ? "multi-release" : "single-release",
        c.Amount,
        c.Balance,
        c.Roles,
        new EscrowFlags(c.Disputed, c.Released, c.Resolved, c.Milestones.All(m => m.Approved)),
        [.. c.Milestones.Select(m => new EscrowMilestone(m.Description, m.Status, m.Amount, m.Receiver, new EscrowFlags(m.Disputed, m.Released, m.Resolved, m.Approved)))]);
}
