using System.Threading.RateLimiting;
using OfferHub.Lite.Infrastructure.Configuration;

namespace OfferHub.Lite.Infrastructure.Providers.TrustlessWork;

/// <summary>Typed client for the Trustless Work REST API (providers.md): x-api-key is set on the
/// HttpClient at registration; calls queue behind the documented 50-per-minute limit instead of
/// bursting past it. Request bodies are built in <see cref="TrustlessRequests"/>.</summary>
public sealed class TrustlessClient(HttpClient http, OfferHubOptions options, TrustlessRateLimit rateLimit, ILogger<TrustlessClient> logger)
{
    public const string Provider = "trustless_work";

    private readonly ProviderHttp transport = new(http, Provider, TimeSpan.FromSeconds(options.Trustless.TimeoutSeconds), TrustlessJson.Options, logger,
        SimulatedCrash.For(options.TrustlessMode));

    public static string Kind(bool multiRelease) => multiRelease ? "multi-release" : "single-release";

    public Task<string> CheckAsync(CancellationToken ct) => transport.CheckAsync("helper/get-escrows-by-role?role=platformAddress&roleAddress=" + options.Trustless.PlatformAddress, ct);

    public Task<TransactionToSign> DeployAsync(bool multiRelease, DeployRequest request, CancellationToken ct) =>
        WriteAsync("deploy", $"deployer/{Kind(multiRelease)}", request, ct);

    public Task<TransactionToSign> FundAsync(bool multiRelease, object request, CancellationToken ct) =>
        WriteAsync("fund_escrow", $"escrow/{Kind(multiRelease)}/fund-escrow", request, ct);

    public Task<TransactionToSign> ChangeMilestoneStatusAsync(bool multiRelease, object request, CancellationToken ct) =>
        WriteAsync("change_milestone_status", $"escrow/{Kind(multiRelease)}/change-milestone-status", request, ct);

    public Task<TransactionToSign> ApproveMilestoneAsync(bool multiRelease, object request, CancellationToken ct) =>
        WriteAsync("approve_milestone", $"escrow/{Kind(multiRelease)}/approve-milestone", request, ct);

    public Task<TransactionToSign> ReleaseFundsAsync(object request, CancellationToken ct) =>
        WriteAsync("release_funds", "escrow/single-release/release-funds", request, ct);

    public Task<TransactionToSign> ReleaseMilestoneFundsAsync(object request, CancellationToken ct) =>
        WriteAsync("release_milestone_funds", "escrow/multi-release/release-milestone-funds", request, ct);

    public Task<TransactionToSign> DisputeAsync(bool multiRelease, object request, CancellationToken ct) =>
        WriteAsync("dispute", multiRelease ? "escrow/multi-release/dispute-milestone" : "escrow/single-release/dispute-escrow", request, ct);

    public Task<TransactionToSign> ResolveDisputeAsync(bool multiRelease, object request, CancellationToken ct) =>
        WriteAsync("resolve_dispute", multiRelease ? "escrow/multi-release/resolve-milestone-dispute" : "escrow/single-release/resolve-dispute", request, ct);

    public async Task<SendTransactionResult> SendTransactionAsync(string signedXdr, CancellationToken ct)
    {
        await rateLimit.WaitAsync(ct);
        return await transport.WriteAsync<SendTransactionResult>("send_transaction", HttpMethod.Post, "helper/send-transaction", new SendTransactionRequest(signedXdr), ct);
    }

    /// <summary>One escrow by its contract id, in the query form the official package sends
    /// (axios serialises the contractIds array as contractIds[]=…), validated on chain so that
    /// reconciliation reads the contract rather than a lagging index.</summary>
    public async Task<Escrow?> GetEscrowAsync(string contractId, CancellationToken ct) =>
        (await GetEscrowsAsync([contractId], ct)).FirstOrDefault(e => e.ContractId == contractId);

    public async Task<IReadOnlyList<Escrow>> GetEscrowsAsync(IReadOnlyList<string> contractIds, CancellationToken ct)
    {
        await rateLimit.WaitAsync(ct);
        var query = string.Join('&', contractIds.Select(id => "contractIds[]=" + Uri.EscapeDataString(id)));
        return await transport.ReadAsync<List<Escrow>>("get_escrow", $"helper/get-escrow-by-contract-ids?{query}&validateOnChain=true", ct) ?? [];
    }

    /// <summary>The escrow deployed for an engagement (our order id), found through the indexer by
    /// the platform's role: how a deploy whose send-transaction answer was lost learns its contract id.</summary>
    public async Task<Escrow?> FindByEngagementAsync(string engagementId, CancellationToken ct)
    {
        await rateLimit.WaitAsync(ct);
        var path = $"helper/get-escrows-by-role?role=platformAddress&roleAddress={Uri.EscapeDataString(options.Trustless.PlatformAddress!)}&engagementId={Uri.EscapeDataString(engagementId)}&validateOnChain=true";
        var escrows = await transport.ReadAsync<List<Escrow>>("find_escrow", path, ct);
        return escrows?.FirstOrDefault(e => e.EngagementId == engagementId && e.ContractId is not null);
    }

    /// <summary>USDC balances of the given addresses (get-multiple-escrow-balance, addresses[]=…).</summary>
    public async Task<IReadOnlyList<EscrowBalance>> GetBalancesAsync(IReadOnlyList<string> addresses, CancellationToken ct)
    {
        await rateLimit.WaitAsync(ct);
        var query = string.Join('&', addresses.Select(a => "addresses[]=" + Uri.EscapeDataString(a)));
        return await transport.ReadAsync<List<EscrowBalance>>("get_balances", $"helper/get-multiple-escrow-balance?{query}", ct) ?? [];
    }

    private async Task<TransactionToSign> WriteAsync(string operation, string path, object request, CancellationToken ct)
    {
        await rateLimit.WaitAsync(ct);
        return await transport.WriteAsync<TransactionToSign>(operation, HttpMethod.Post, path, request, ct);
    }
}

/// <summary>One queue per process in front of Trustless Work: a sliding window of the documented
/// size, waiting (in order) instead of failing when the window is full.</summary>
public sealed class TrustlessRateLimit(OfferHubOptions options) : IDisposable
{
    private readonly SlidingWindowRateLimiter limiter = new(new SlidingWindowRateLimiterOptions
    {
        PermitLimit = options.Trustless.RequestsPerMinute,
        Window = TimeSpan.FromMinutes(1),
        SegmentsPerWindow = 6,
        QueueLimit = 10_000,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public async Task WaitAsync(CancellationToken ct)
    {
        using var lease = await limiter.AcquireAsync(1, ct);
        if (!lease.IsAcquired)
        {
            throw ProviderException.FromStatus(TrustlessClient.Provider, 429, "client_queue_full");
        }
    }

    public void Dispose() => limiter.Dispose();
}
