using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Providers;
using OfferHub.Lite.Infrastructure.Providers.TrustlessWork;
using OfferHub.Lite.Infrastructure.Stellar;

namespace OfferHub.Lite.Features.SimulatedProviders.TrustlessWork;

/// <summary>The built-in Trustless Work: escrow contracts with roles, milestones, flags and a USDC
/// balance, and the USDC balances of the wallets they pay, in memory. Writes (deploy included)
/// answer {status, unsignedTransaction} only; send-transaction checks the signature and applies
/// the effect the way the chain would, answering {status: "FAILED", message} when the contract
/// refuses, and for a deploy the new contract id and escrow. Contract ids are real StrKey
/// contract addresses. It sends no notifications unless a test switches them on (Trustless Work
/// sends none; the intake they feed is our own, optional one).</summary>
public sealed class TrustlessSimulator(TrustlessCallbacks callbacks, OfferHubOptions options) : IDisposable
{
    /// <summary>Where the simulated network sends Trustless Work's protocol fee.</summary>
    public static readonly string ProtocolFeeAddress = StellarAddress.FromPublicKey(SHA256.HashData("offerhub-simulated-trustless-work-fees"u8));

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
    private readonly Dictionary<string, string?> applied = [];
    private readonly Dictionary<string, long> wallets = new() { [options.Trustless.TreasuryAddress!] = Amount.TryParse(options.Trustless.TreasuryFloat, out var f) ? f : 0 };
    private readonly byte[] signingKey = RandomNumberGenerator.GetBytes(32);
    private bool holdSignatures;

    public sealed class SimulatorException(int status, string message) : Exception(message)
    {
        public int Status { get; } = status;
    }

    /// <summary>A refusal by the contract: answered as a FAILED send-transaction.</summary>
    private sealed class ContractRefusal(string message) : Exception(message);

    private sealed class Contract
    {
        public required string ContractId { get; init; }

        public required JsonElement Deploy { get; init; }

        public required bool Multi { get; init; }

        public required EscrowRoles Roles { get; init; }

        public required long Amount { get; init; }

        public required decimal PlatformFee { get; init; }

        public required string Signer { get; init; }

        public required List<SimMilestone> Milestones { get; init; }

        public long Balance { get; set; }

        public bool Disputed { get; set; }

        public bool Released { get; set; }

        public bool Resolved { get; set; }
    }

    private sealed class SimMilestone
    {
        public required string Description { get; init; }

        public long Amount { get; init; }

        public string? Receiver { get; init; }

        // The contract stores what the deploy gave: a description, no status yet.
        public string Status { get; set; } = string.Empty;

        public string? Evidence { get; set; }

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

    /// <summary>Checks a deploy and answers the transaction to sign; the contract exists once it is sent.</summary>
    public TransactionToSign Deploy(bool multi, JsonElement body)
    {
        var request = Parse<DeployRequest>(body);
        if (request.Roles is null || request.Milestones is not { Count: > 0 } || request.Trustline is null
            || string.IsNullOrEmpty(request.EngagementId) || string.IsNullOrEmpty(request.Title) || string.IsNullOrEmpty(request.Description)
            || (!multi && (request.Amount is not > 0 || !StellarAddress.IsValid(request.Roles.Receiver)))
            || (multi && (request.Amount is not null || request.Roles.Receiver is not null || request.Milestones.Any(m => m.Amount is not > 0 || !StellarAddress.IsValid(m.Receiver))))
            || (!multi && request.Milestones.Any(m => m.Amount is not null || m.Receiver is not null))
            || request.PlatformFee is < 0 or >= 100
            || !new[] { request.Signer, request.Roles.Approver, request.Roles.ServiceProvider, request.Roles.PlatformAddress, request.Roles.ReleaseSigner, request.Roles.DisputeResolver }.All(StellarAddress.IsValid))
        {
            throw new SimulatorException(400, "Invalid deploy request");
        }

        return Unsigned("deploy", null, request.Signer, body, multi);
    }

    /// <summary>Any write but deploy: checked against the contract, answered with the XDR to sign.</summary>
    public TransactionToSign Prepare(string kind, string operation, JsonElement body)
    {
        var contractId = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("contractId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        lock (gate)
        {
            var contract = contractId is null ? null : contracts.GetValueOrDefault(contractId);
            if (contract is null)
            {
                throw new SimulatorException(404, "Escrow not found");
            }

            if (contract.Multi != (kind == "multi-release"))
            {
                throw new SimulatorException(400, $"The escrow is not {kind}");
            }

            var signer = operation switch
            {
                "change-milestone-status" => Text(body, "serviceProvider"),
                "approve-milestone" => Text(body, "approver"),
                "release-funds" or "release-milestone-funds" => Text(body, "releaseSigner"),
                "resolve-dispute" or "resolve-milestone-dispute" or "withdraw-remaining-funds" => Text(body, "disputeResolver"),
                "fund-escrow" or "dispute-escrow" or "dispute-milestone" => Text(body, "signer"),
                _ => throw new SimulatorException(404, $"Cannot POST /escrow/{kind}/{operation}"),
            };
            if (operation is "change-milestone-status" or "approve-milestone" or "release-milestone-funds" or "dispute-milestone" or "resolve-milestone-dispute")
            {
                _ = MilestoneIndex(body);
            }

            if (operation == "fund-escrow" && !(body.TryGetProperty("amount", out var amount) && amount.ValueKind == JsonValueKind.Number && amount.GetDecimal() > 0))
            {
                throw new SimulatorException(400, "amount must be a positive number");
            }

            return Unsigned(operation, contract.ContractId, signer, body);
        }
    }

    /// <summary>What a wallet does: appends the holder's signature to the transaction.</summary>
    public string Sign(string unsignedXdr, string signerAddress) =>
        $"{unsignedXdr}.{signerAddress}.{Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(unsignedXdr + signerAddress)))}";

    /// <summary>The answer of POST /helper/send-transaction: SendTransactionResponse, or for a
    /// deploy InitializeEscrowResponse (status, message, contractId, escrow).</summary>
    public object Send(string signedXdr)
    {
        var parts = signedXdr.Split('.');
        if (parts.Length != 3 || Sign(parts[0], parts[1]) != signedXdr)
        {
            throw new SimulatorException(400, "Malformed or forged transaction");
        }

        var transaction = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(parts[0])))!;
        var operation = transaction["op"]!.GetValue<string>();
        var required = transaction["signer"]!.GetValue<string>();
        var args = JsonSerializer.SerializeToElement(transaction["args"]);
        lock (gate)
        {
            if (applied.TryGetValue(parts[0], out var known))
            {
                return Answer(operation, known, "The transaction was already applied");
            }

            try
            {
                if (parts[1] != required)
                {
                    throw new ContractRefusal("The transaction is not signed by the required signer");
                }

                string contractId;
                int? index = null;
                long? amount = null;
                if (operation == "deploy")
                {
                    contractId = Create(transaction["multi"]!.GetValue<bool>(), args);
                }
                else
                {
                    contractId = transaction["contractId"]!.GetValue<string>();
                    (index, amount) = Apply(contracts[contractId], operation, required, args);
                }

                applied[parts[0]] = contractId;
                var contract = contracts[contractId];
                callbacks.Enqueue("escrow." + operation, new
                {
                    contract_id = contract.ContractId,
                    engagement_id = Text(contract.Deploy, "engagementId"),
                    operation,
                    milestone_index = index,
                    amount = amount is { } a ? ProviderMoney.ToDecimal(a) : (decimal?)null,
                    balance = ProviderMoney.ToDecimal(contract.Balance),
                });
                return Answer(operation, contractId, $"The transaction {operation} was applied");
            }
            catch (ContractRefusal refusal)
            {
                return new SendTransactionResult(SendTransactionResult.Failed, refusal.Message);
            }
        }
    }

    /// <summary>The escrows as get-escrow-by-contract-ids answers them (GetEscrowsFromIndexerResponse).</summary>
    public IReadOnlyList<object> Get(IEnumerable<string> contractIds)
    {
        lock (gate)
        {
            return [.. contractIds.Select(contracts.GetValueOrDefault).OfType<Contract>().Select(Indexed)];
        }
    }

    public object? Get(string contractId) => Get([contractId]) is [var escrow, ..] ? escrow : null;

    /// <summary>get-escrows-by-role: the escrows where the address plays the role, optionally of one engagement.</summary>
    public IReadOnlyList<object> ByRole(string role, string address, string? engagementId)
    {
        lock (gate)
        {
            return [.. contracts.Values
                .Where(c => engagementId is null || Text(c.Deploy, "engagementId") == engagementId)
                .Where(c => role switch
                {
                    "approver" => c.Roles.Approver == address,
                    "serviceProvider" => c.Roles.ServiceProvider == address,
                    "platformAddress" => c.Roles.PlatformAddress == address,
                    "releaseSigner" => c.Roles.ReleaseSigner == address,
                    "disputeResolver" => c.Roles.DisputeResolver == address,
                    "receiver" => c.Roles.Receiver == address || c.Milestones.Any(m => m.Receiver == address),
                    "signer" => c.Signer == address,
                    _ => throw new SimulatorException(400, "role must be one of approver, serviceProvider, platformAddress, releaseSigner, disputeResolver, receiver, signer"),
                })
                .Select(Indexed)];
        }
    }

    /// <summary>get-multiple-escrow-balance: the USDC balance of each address, contract or wallet.</summary>
    public IReadOnlyList<EscrowBalance> Balances(IEnumerable<string> addresses)
    {
        lock (gate)
        {
            return [.. addresses.Select(a => new EscrowBalance(a, ProviderMoney.ToDecimal(contracts.TryGetValue(a, out var c) ? c.Balance : wallets.GetValueOrDefault(a))))];
        }
    }

    private string Create(bool multi, JsonElement body)
    {
        var request = Parse<DeployRequest>(body);
        var contract = new Contract
        {
            ContractId = StellarAddress.ContractFromHash(RandomNumberGenerator.GetBytes(32)),
            Deploy = body.Clone(),
            Multi = multi,
            Roles = request.Roles,
            Signer = request.Signer,
            PlatformFee = request.PlatformFee,
            Amount = multi ? request.Milestones.Sum(m => Cents(m.Amount!.Value)) : Cents(request.Amount!.Value),
            Milestones = [.. request.Milestones.Select(m => new SimMilestone { Description = m.Description, Amount = m.Amount is { } a ? Cents(a) : 0, Receiver = m.Receiver })],
        };
        contracts[contract.ContractId] = contract;
        return contract.ContractId;
    }

    private object Answer(string operation, string? contractId, string message) =>
        operation == "deploy" && contractId is not null
            ? new DeployAnswer(SendTransactionResult.Success, message, contractId, Initialized(contracts[contractId]))
            : new SendTransactionResult(SendTransactionResult.Success, message);

    /// <summary>InitializeEscrowResponse: the send-transaction answer of a signed deploy.</summary>
    private sealed record DeployAnswer(string Status, string Message, string ContractId, object Escrow);

    private (int? Index, long? Amount) Apply(Contract contract, string operation, string signer, JsonElement args)
    {
        int? index = args.TryGetProperty("milestoneIndex", out _) ? MilestoneIndex(args) : null;
        var milestone = index is { } m ? (m < contract.Milestones.Count ? contract.Milestones[m] : throw new ContractRefusal("No such milestone")) : null;
        var roles = contract.Roles;
        switch (operation)
        {
            case "fund-escrow":
                var funding = Cents(args.GetProperty("amount").GetDecimal());
                Require(contract.Balance + funding <= contract.Amount, "Funding exceeds the escrow amount");
                Require(wallets.GetValueOrDefault(signer) >= funding, "The signer's balance is not enough");
                wallets[signer] -= funding;
                contract.Balance += funding;
                return (null, funding);
            case "change-milestone-status":
                Require(signer == roles.ServiceProvider, "Only the service provider changes a milestone's status");
                milestone!.Status = args.GetProperty("newStatus").GetString() ?? string.Empty;
                milestone.Evidence = args.TryGetProperty("newEvidence", out var evidence) ? evidence.GetString() : milestone.Evidence;
                return (index, null);
            case "approve-milestone":
                Require(signer == roles.Approver, "Only the approver approves a milestone");
                Require(milestone!.Status.Length > 0, "The milestone has no status yet");
                milestone.Approved = true;
                return (index, null);
            case "release-funds":
                Require(signer == roles.ReleaseSigner, "Only the release signer releases");
                Require(!contract.Disputed && !contract.Released && contract.Milestones.All(x => x.Approved), "Every milestone must be approved and the escrow not disputed");
                var released = contract.Balance;
                PayRelease(contract, released, roles.Receiver!);
                contract.Released = true;
                return (null, released);
            case "release-milestone-funds":
                Require(signer == roles.ReleaseSigner, "Only the release signer releases");
                Require(milestone!.Approved && !milestone.Released && !milestone.Disputed && contract.Balance >= milestone.Amount, "The milestone must be approved, funded and not disputed");
                PayRelease(contract, milestone.Amount, milestone.Receiver!);
                milestone.Released = true;
                return (index, milestone.Amount);
            case "dispute-escrow":
            case "dispute-milestone":
                Require(signer == roles.Approver || signer == roles.ServiceProvider, "Only the approver or the service provider opens a dispute");
                Require(signer != roles.DisputeResolver, "The dispute resolver cannot open a dispute");
                if (milestone is null)
                {
                    Require(!contract.Disputed && !contract.Released && !contract.Resolved && contract.Balance > 0, "Nothing left to dispute");
                    contract.Disputed = true;
                }
                else
                {
                    Require(!milestone.Disputed && !milestone.Released && !milestone.Resolved, "Nothing left to dispute");
                    milestone.Disputed = true;
                }

                return (index, null);
            case "resolve-dispute":
            case "resolve-milestone-dispute":
                Require(signer == roles.DisputeResolver, "Only the dispute resolver resolves");
                var distributions = args.GetProperty("distributions").EnumerateArray()
                    .Select(d => (Address: d.GetProperty("address").GetString()!, Amount: Cents(d.GetProperty("amount").GetDecimal()))).ToList();
                Require(distributions.Count > 0 && distributions.All(d => d.Amount > 0 && StellarAddress.IsValid(d.Address)), "Every distribution needs an address and a positive amount");
                var total = distributions.Sum(d => d.Amount);
                if (milestone is null)
                {
                    Require(contract.Disputed && !contract.Resolved && total == contract.Balance, "The distribution must add up to the balance of a disputed escrow");
                    contract.Resolved = true;
                }
                else
                {
                    Require(milestone.Disputed && !milestone.Resolved && total == milestone.Amount && contract.Balance >= total, "The distribution must add up to the disputed milestone");
                    milestone.Resolved = true;
                }

                contract.Balance -= total;
                foreach (var (address, amount) in distributions)
                {
                    wallets[address] = wallets.GetValueOrDefault(address) + amount;
                }

                return (index, total);
            default:
                throw new ContractRefusal("Unknown operation");
        }
    }

    /// <summary>Release-phase payment: protocol fee, platform fee to the platform address, the rest to the receiver.</summary>
    private void PayRelease(Contract contract, long amount, string receiver)
    {
        var split = ReleaseSplit.Of(amount, options.Trustless.ProtocolFeePercent, contract.PlatformFee);
        contract.Balance -= amount;
        wallets[ProtocolFeeAddress] = wallets.GetValueOrDefault(ProtocolFeeAddress) + split.ProtocolFee;
        wallets[contract.Roles.PlatformAddress] = wallets.GetValueOrDefault(contract.Roles.PlatformAddress) + split.PlatformFee;
        wallets[receiver] = wallets.GetValueOrDefault(receiver) + split.Receiver;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ContractRefusal(message);
        }
    }

    private static T Parse<T>(JsonElement body)
    {
        try
        {
            return body.Deserialize<T>(TrustlessJson.Options) ?? throw new SimulatorException(400, "Invalid request body");
        }
        catch (JsonException)
        {
            throw new SimulatorException(400, "Invalid request body");
        }
    }

    private static long Cents(decimal amount)
    {
        var cents = amount * 100m;
        return cents == decimal.Truncate(cents) ? (long)cents : throw new ContractRefusal("USDC amounts of this escrow have at most two decimals");
    }

    /// <summary>milestoneIndex travels as a string (ChangeMilestoneStatusPayload and friends).</summary>
    private static int MilestoneIndex(JsonElement body) =>
        body.TryGetProperty("milestoneIndex", out var value) && value.ValueKind == JsonValueKind.String
        && int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : throw new SimulatorException(400, "milestoneIndex must be a string holding a milestone index");

    private static string Text(JsonElement body, string property) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new SimulatorException(400, $"{property} is required");

    private static TransactionToSign Unsigned(string operation, string? contractId, string signer, JsonElement args, bool multi = false)
    {
        var transaction = JsonSerializer.SerializeToUtf8Bytes(new { op = operation, contractId, signer, multi, args, nonce = Guid.NewGuid() });
        return new TransactionToSign(SendTransactionResult.Success, Convert.ToBase64String(transaction));
    }

    /// <summary>The escrow of an initialize answer: SingleReleaseEscrow or MultiReleaseEscrow.</summary>
    private static object Initialized(Contract c)
    {
        var common = Common(c);
        return c.Multi
            ? new { common.signer, common.contractId, common.engagementId, common.title, common.description, roles = MultiRoles(c.Roles), common.platformFee, common.balance, milestones = MultiMilestones(c), common.trustline }
            : new { common.signer, common.contractId, common.engagementId, common.title, common.description, roles = c.Roles, amount = ProviderMoney.ToDecimal(c.Amount), common.platformFee, common.balance, milestones = SingleMilestones(c), flags = SingleFlags(c), common.trustline };
    }

    /// <summary>An escrow as the indexer answers it (GetEscrowsFromIndexerResponse).</summary>
    private static object Indexed(Contract c)
    {
        var common = Common(c);
        var created = new { _seconds = 0, _nanoseconds = 0 };
        return c.Multi
            ? new { common.signer, common.contractId, common.engagementId, common.title, roles = (object)MultiRoles(c.Roles), common.description, amount = ProviderMoney.ToDecimal(c.Amount), common.platformFee, common.balance, milestones = (object)MultiMilestones(c), common.trustline, isActive = true, user = c.Signer, createdAt = created, updatedAt = created, type = "multi-release" }
            : (object)new { common.signer, common.contractId, common.engagementId, common.title, roles = (object)c.Roles, common.description, amount = ProviderMoney.ToDecimal(c.Amount), common.platformFee, common.balance, milestones = (object)SingleMilestones(c), flags = SingleFlags(c), common.trustline, isActive = true, user = c.Signer, createdAt = created, updatedAt = created, type = "single-release" };
    }

    private static (string signer, string contractId, string engagementId, string title, string description, decimal platformFee, decimal balance, Trustline trustline) Common(Contract c) =>
        (c.Signer, c.ContractId, Text(c.Deploy, "engagementId"), Text(c.Deploy, "title"), Text(c.Deploy, "description"), c.PlatformFee, ProviderMoney.ToDecimal(c.Balance),
            c.Deploy.GetProperty("trustline").Deserialize<Trustline>(TrustlessJson.Options)!);

    private static object MultiRoles(EscrowRoles r) => new { r.Approver, r.ServiceProvider, r.PlatformAddress, r.ReleaseSigner, r.DisputeResolver };

    private static object SingleFlags(Contract c) => new { disputed = c.Disputed, released = c.Released, resolved = c.Resolved };

    private static object[] SingleMilestones(Contract c) =>
        [.. c.Milestones.Select(m => new { description = m.Description, status = m.Status, evidence = m.Evidence, approved = m.Approved })];

    private static object[] MultiMilestones(Contract c) =>
        [.. c.Milestones.Select(m => new
        {
            description = m.Description,
            status = m.Status,
            evidence = m.Evidence,
            amount = ProviderMoney.ToDecimal(m.Amount),
            receiver = m.Receiver,
            flags = new { approved = m.Approved, released = m.Released, disputed = m.Disputed, resolved = m.Resolved },
        })];
}
