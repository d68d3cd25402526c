using OfferHub.Lite.Infrastructure.Configuration;

namespace OfferHub.Lite.Infrastructure.Providers.Airtm;

/// <summary>Typed client for the Airtm Enterprise API v2 (providers.md). Basic auth is set on the
/// HttpClient at registration; nothing here logs a header, a body or an e-mail address. Reads
/// are retried once on a transient failure; writes never are: a lost pay-in or payout create is
/// recovered by looking it up by our code instead.</summary>
public sealed class AirtmClient(HttpClient http, OfferHubOptions options, ILogger<AirtmClient> logger)
{
    public const string Provider = "airtm";

    private readonly ProviderHttp transport = new(http, Provider, TimeSpan.FromSeconds(options.Airtm.TimeoutSeconds), AirtmJson.Options, logger);

    /// <summary>GET /me with our credentials, for /health.</summary>
    public Task<string> CheckAsync(CancellationToken ct) => transport.CheckAsync("me", ct);

    /// <summary>GET /me/balance, for the provider-balance reconciliation.</summary>
    public async Task<AirtmBalance> GetBalanceAsync(CancellationToken ct) =>
        await transport.ReadAsync<AirtmBalance>("get_balance", "me/balance", ct) ?? throw ProviderException.InvalidResponse(Provider, "GET /me/balance answered 404");

    public Task<AirtmUser?> FindUserAsync(string email, CancellationToken ct) =>
        transport.ReadAsync<AirtmUser>("get_user", $"users/{Uri.EscapeDataString(email)}", ct);

    public Task<Payin> CreatePayinAsync(CreatePayinRequest request, CancellationToken ct) =>
        transport.WriteAsync<Payin>("create_payin", HttpMethod.Post, "payins", request, ct);

    public Task<Payin?> GetPayinAsync(string id, CancellationToken ct) =>
        transport.ReadAsync<Payin>("get_payin", $"payins/{Uri.EscapeDataString(id)}", ct);

    public Task<Payin?> FindPayinByCodeAsync(string code, CancellationToken ct) =>
        transport.ReadAsync<Payin>("get_payin_by_code", $"payins/by-code/{Uri.EscapeDataString(code)}", ct);

    public async Task<AirtmPage<Payin>> ListPayinsAsync(string? cursor, CancellationToken ct) =>
        await transport.ReadAsync<AirtmPage<Payin>>("list_payins", cursor is null ? "payins" : $"payins?cursor={Uri.EscapeDataString(cursor)}", ct)
        ?? throw ProviderException.InvalidResponse(Provider, "the pay-in list was not found");

    public Task<Payin> CancelPayinAsync(string id, CancellationToken ct) =>
        transport.WriteAsync<Payin>("cancel_payin", HttpMethod.Delete, $"payins/{Uri.EscapeDataString(id)}", null, ct);

    public Task<Payout> CreatePayoutAsync(CreatePayoutRequest request, CancellationToken ct) =>
        transport.WriteAsync<Payout>("create_payout", HttpMethod.Post, "payouts", request, ct);

    /// <summary>POST /payouts/{id}/commit answers 204 with no body.</summary>
    public async Task CommitPayoutAsync(string id, CancellationToken ct) =>
        await transport.WriteAsync("commit_payout", HttpMethod.Post, $"payouts/{Uri.EscapeDataString(id)}/commit", null, ct);

    public Task<Payout> CancelPayoutAsync(string id, CancellationToken ct) =>
        transport.WriteAsync<Payout>("cancel_payout", HttpMethod.Delete, $"payouts/{Uri.EscapeDataString(id)}", null, ct);

    public Task<Payout?> GetPayoutAsync(string id, CancellationToken ct) =>
        transport.ReadAsync<Payout>("get_payout", $"payouts/{Uri.EscapeDataString(id)}", ct);

    public Task<Payout?> FindPayoutByCodeAsync(string code, CancellationToken ct) =>
        transport.ReadAsync<Payout>("get_payout_by_code", $"payouts/by-code/{Uri.EscapeDataString(code)}", ct);
}
