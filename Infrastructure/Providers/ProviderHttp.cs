using System.Diagnostics;
using System.Text.Json;

namespace OfferHub.Lite.Infrastructure.Providers;

/// <summary>The transport every provider client shares: one deadline per call (so a timeout can be
/// told from the caller giving up), the errors.md mapping, and logs that name the operation and
/// status only: never a header, a body, a path with personal data, or a credential. Being the one
/// way out to a provider, it is also where every call is measured (offerhub.provider.call.duration
/// by provider, operation and outcome) and gets its span.</summary>
public sealed partial class ProviderHttp(HttpClient http, string provider, TimeSpan timeout, JsonSerializerOptions json, ILogger logger,
    SimulatedCrash? crash = null)
{
    /// <summary>A GET; null on 404. Retried once when the first try failed transiently and was
    /// neither a timeout nor throttling (a read has no effect to repeat).</summary>
    public async Task<T?> ReadAsync<T>(string operation, string path, CancellationToken ct)
        where T : class
    {
        try
        {
            return await SendAsync(operation, HttpMethod.Get, path, null, DeserializeAsync<T>, ct, notFoundIsNull: true);
        }
        catch (ProviderException failure) when (failure.Transient && failure.Code is not (Errors.ApiErrors.ProviderTimeout or Errors.ApiErrors.ProviderRateLimited))
        {
            return await SendAsync(operation, HttpMethod.Get, path, null, DeserializeAsync<T>, ct, notFoundIsNull: true);
        }
    }

    /// <summary>A write, never retried here: whether it took effect is found out by reading.</summary>
    public async Task<T> WriteAsync<T>(string operation, HttpMethod method, string path, object? body, CancellationToken ct)
        where T : class =>
        await SendAsync(operation, method, path, body, DeserializeAsync<T>, ct)
        ?? throw ProviderException.InvalidResponse(provider, $"{operation} returned no body");

    /// <summary>A write whose success has no body (204).</summary>
    public async Task WriteAsync(string operation, HttpMethod method, string path, object? body, CancellationToken ct) =>
        await SendAsync(operation, method, path, body, static _ => Task.FromResult(string.Empty), ct);

    /// <summary>"ok" when the read answers, otherwise the word /health shows.</summary>
    public async Task<string> CheckAsync(string path, CancellationToken ct)
    {
        try
        {
            using var answer = await ReadAsync<JsonDocument>("health_check", path, ct);
            return answer is null ? "not_found" : "ok";
        }
        catch (ProviderException failure)
        {
            return failure.Code == Errors.ApiErrors.ProviderTimeout ? "timeout"
                : !failure.Details.TryGetValue("provider_status", out var status) ? "unreachable"
                : status is 401 or 403 ? "unauthorized"
                : "error";
        }
    }

    private async Task<T?> SendAsync<T>(string operation, HttpMethod method, string path, object? body,
        Func<HttpResponseMessage, Task<T>> read, CancellationToken ct, bool notFoundIsNull = false)
        where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        using var span = Observability.Telemetry.Source.StartActivity($"{provider} {operation}");
        span?.SetTag("offerhub.provider", provider);
        span?.SetTag("offerhub.provider.operation", operation);
        var started = Stopwatch.GetTimestamp();
        var outcome = "canceled";
        try
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, body.GetType(), options: json);
            }

            crash?.At("before", operation);
            using var response = await http.SendAsync(request, deadline.Token);
            var status = (int)response.StatusCode;
            LogCall(provider, operation, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            span?.SetTag("http.response.status_code", status);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound && notFoundIsNull)
            {
                outcome = "not_found";
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                outcome = status == 429 ? "rate_limited" : status >= 500 ? "server_error" : "client_error";
                throw ProviderException.FromStatus(provider, status, await ErrorCodeAsync(response, deadline.Token));
            }

            var result = await read(response);
            crash?.At("after", operation);
            outcome = "ok";
            return result;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            outcome = "timeout";
            LogTimeout(provider, operation, (int)timeout.TotalMilliseconds);
            throw ProviderException.Timeout(provider, (int)timeout.TotalMilliseconds);
        }
        catch (HttpRequestException failure)
        {
            outcome = "unreachable";
            // The exception message may name the host but never carries credentials; log only its kind.
            LogUnreachable(provider, operation, failure.HttpRequestError.ToString());
            throw ProviderException.Unreachable(provider);
        }
        catch (JsonException)
        {
            outcome = "invalid_response";
            throw ProviderException.InvalidResponse(provider, $"{operation} returned malformed JSON");
        }
        finally
        {
            Observability.ProductMetrics.ProviderCall(provider, operation, outcome, Stopwatch.GetElapsedTime(started));
            span?.SetTag("offerhub.provider.outcome", outcome);
            if (outcome is not ("ok" or "not_found"))
            {
                span?.SetStatus(ActivityStatusCode.Error, outcome);
            }
        }
    }

    private async Task<T> DeserializeAsync<T>(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<T>(json) ?? throw new JsonException("empty body");

    /// <summary>The provider's error code ({"code": ...}) when its error body has one.</summary>
    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            // Airtm documents the code as a string but sends numbers in its own examples: read both.
            return body.RootElement.ValueKind != JsonValueKind.Object || !body.RootElement.TryGetProperty("code", out var code) ? null
                : code.ValueKind == JsonValueKind.String ? code.GetString()
                : code.ValueKind == JsonValueKind.Number ? code.GetRawText()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider} {Operation} answered {Status} in {ElapsedMs:F0} ms")]
    private partial void LogCall(string provider, string operation, int status, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} {Operation} timed out after {TimeoutMs} ms")]
    private partial void LogTimeout(string provider, string operation, int timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} {Operation} could not be sent: {Reason}")]
    private partial void LogUnreachable(string provider, string operation, string reason);
}
