using System.Diagnostics;
using System.Text.Json;
using OfferHub.Lite.Infrastructure.Configuration;

namespace OfferHub.Lite.Infrastructure.Providers.Airtm;

/// <summary>Typed client for the Airtm Enterprise API v2 (providers.md). Basic auth is set on the
/// HttpClient at registration; nothing here logs a header, a body or an e-mail address. Reads
/// are retried once on a transient failure; writes never are: a lost pay-in or payout create is
/// recovered by looking it up by our code instead.</summary>
public sealed partial class AirtmClient(HttpClient http, OfferHubOptions options, ILogger<AirtmClient> logger)
{
    public const string Provider = "airtm";

    /// <summary>GET /me with our credentials, for /health: "ok" or the word for what went wrong.</summary>
    public async Task<string> CheckAsync(CancellationToken ct)
    {
        try
        {
            using var me = await ReadAsync<JsonDocument>("get_me", "me", ct);
            return me is null ? "not_found" : "ok";
        }
        catch (ProviderException failure)
        {
            return failure.Code == Errors.ApiErrors.ProviderTimeout ? "timeout"
                : !failure.Details.TryGetValue("provider_status", out var status) ? "unreachable"
                : status is 401 or 403 ? "unauthorized"
                : "error";
        }
    }

    public Task<AirtmUser?> FindUserAsync(string email, CancellationToken ct) =>
        ReadAsync<AirtmUser>("get_user", $"users/{Uri.EscapeDataString(email)}", ct);

    public Task<Payin> CreatePayinAsync(CreatePayinRequest request, CancellationToken ct) =>
        WriteAsync<Payin>("create_payin", HttpMethod.Post, "payins", request, ct);

    public Task<Payin?> GetPayinAsync(string id, CancellationToken ct) =>
        ReadAsync<Payin>("get_payin", $"payins/{Uri.EscapeDataString(id)}", ct);

    public Task<Payin?> FindPayinByCodeAsync(string code, CancellationToken ct) =>
        ReadAsync<Payin>("get_payin_by_code", $"payins/by-code/{Uri.EscapeDataString(code)}", ct);

    public async Task<AirtmPage<Payin>> ListPayinsAsync(string? cursor, CancellationToken ct) =>
        await ReadAsync<AirtmPage<Payin>>("list_payins", cursor is null ? "payins" : $"payins?cursor={Uri.EscapeDataString(cursor)}", ct)
        ?? throw ProviderException.InvalidResponse(Provider, "the pay-in list was not found");

    public Task<Payin> CancelPayinAsync(string id, CancellationToken ct) =>
        WriteAsync<Payin>("cancel_payin", HttpMethod.Delete, $"payins/{Uri.EscapeDataString(id)}", null, ct);

    public Task<Payout> CreatePayoutAsync(CreatePayoutRequest request, CancellationToken ct) =>
        WriteAsync<Payout>("create_payout", HttpMethod.Post, "payouts", request, ct);

    /// <summary>POST /payouts/{id}/commit answers 204 with no body.</summary>
    public async Task CommitPayoutAsync(string id, CancellationToken ct) =>
        await SendAsync("commit_payout", HttpMethod.Post, $"payouts/{Uri.EscapeDataString(id)}/commit", null, static _ => Task.FromResult(string.Empty), ct);

    public Task<Payout> CancelPayoutAsync(string id, CancellationToken ct) =>
        WriteAsync<Payout>("cancel_payout", HttpMethod.Delete, $"payouts/{Uri.EscapeDataString(id)}", null, ct);

    public Task<Payout?> GetPayoutAsync(string id, CancellationToken ct) =>
        ReadAsync<Payout>("get_payout", $"payouts/{Uri.EscapeDataString(id)}", ct);

    public Task<Payout?> FindPayoutByCodeAsync(string code, CancellationToken ct) =>
        ReadAsync<Payout>("get_payout_by_code", $"payouts/by-code/{Uri.EscapeDataString(code)}", ct);

    /// <summary>A GET; null on 404. Retried once when the first try failed transiently and was not a timeout.</summary>
    private async Task<T?> ReadAsync<T>(string operation, string path, CancellationToken ct)
        where T : class
    {
        try
        {
            return await SendAsync(operation, HttpMethod.Get, path, null, DeserializeAsync<T>, ct, notFoundIsNull: true);
        }
        catch (ProviderException failure) when (failure.Transient && failure.Code != Errors.ApiErrors.ProviderTimeout && failure.Code != Errors.ApiErrors.ProviderRateLimited)
        {
            return await SendAsync(operation, HttpMethod.Get, path, null, DeserializeAsync<T>, ct, notFoundIsNull: true);
        }
    }

    private async Task<T> WriteAsync<T>(string operation, HttpMethod method, string path, object? body, CancellationToken ct)
        where T : class =>
        await SendAsync(operation, method, path, body, DeserializeAsync<T>, ct)
        ?? throw ProviderException.InvalidResponse(Provider, $"{operation} returned no body");

    private async Task<T?> SendAsync<T>(string operation, HttpMethod method, string path, object? body,
        Func<HttpResponseMessage, Task<T>> read, CancellationToken ct, bool notFoundIsNull = false)
        where T : class
    {
        var timeout = TimeSpan.FromSeconds(options.Airtm.TimeoutSeconds);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, body.GetType(), options: AirtmJson.Options);
            }

            using var response = await http.SendAsync(request, deadline.Token);
            LogCall(operation, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound && notFoundIsNull)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw ProviderException.FromStatus(Provider, (int)response.StatusCode, await ErrorCodeAsync(response, deadline.Token));
            }

            return await read(response);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            LogTimeout(operation, (int)timeout.TotalMilliseconds);
            throw ProviderException.Timeout(Provider, (int)timeout.TotalMilliseconds);
        }
        catch (HttpRequestException failure)
        {
            // The exception message may name the host but never carries credentials; log only its kind.
            LogUnreachable(operation, failure.HttpRequestError.ToString());
            throw ProviderException.Unreachable(Provider);
        }
        catch (JsonException)
        {
            throw ProviderException.InvalidResponse(Provider, $"{operation} returned malformed JSON");
        }
    }

    private static async Task<T> DeserializeAsync<T>(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<T>(AirtmJson.Options) ?? throw new JsonException("empty body");

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync<AirtmError>(AirtmJson.Options, ct))?.Code;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "airtm {Operation} answered {Status} in {ElapsedMs:F0} ms")]
    private partial void LogCall(string operation, int status, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "airtm {Operation} timed out after {TimeoutMs} ms")]
    private partial void LogTimeout(string operation, int timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "airtm {Operation} could not be sent: {Reason}")]
    private partial void LogUnreachable(string operation, string reason);
}
