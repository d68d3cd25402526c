using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Infrastructure.Providers;

/// <summary>A provider call that did not succeed, already mapped to errors.md. Transient ones
/// (timeouts, 5xx, throttling) are worth retrying; the others are the provider's definitive
/// refusal. Independently, <see cref="MayHaveApplied"/> says whether the provider may have done
/// the work although we did not hear it.</summary>
public sealed class ProviderException(int status, string code, string message, bool transient, IReadOnlyDictionary<string, object?> details,
    bool mayHaveApplied = false)
    : ApiException(status, code, message, details)
{
    public bool Transient { get; } = transient;

    /// <summary>The outcome at the provider is unknown: a timeout, a lost connection, a 5xx (or
    /// 408), or an answer we could not read. A throttled (429) or refused (4xx) call did nothing.</summary>
    public bool MayHaveApplied { get; } = mayHaveApplied;

    /// <summary>The provider's own error code, when it sent one.</summary>
    public string? ProviderCode => Details.TryGetValue("provider_code", out var code) ? code as string : null;

    public static ProviderException Timeout(string provider, int timeoutMs) =>
        new(504, ApiErrors.ProviderTimeout, $"{provider} did not answer in time", true, new Dictionary<string, object?>
        {
            ["provider"] = provider,
            ["timeout_ms"] = timeoutMs,
            ["retry_recommended"] = true,
        }, mayHaveApplied: true);

    public static ProviderException Unreachable(string provider) =>
        new(502, ApiErrors.ProviderError, $"{provider} could not be reached", true, new Dictionary<string, object?>
        {
            ["provider"] = provider,
            ["retry_recommended"] = true,
        }, mayHaveApplied: true);

    /// <summary>A non-2xx answer. The provider's message is not passed on (it may echo input);
    /// its code is, so that support can look it up.</summary>
    public static ProviderException FromStatus(string provider, int httpStatus, string? providerCode)
    {
        var throttled = httpStatus == 429;
        var transient = throttled || httpStatus >= 500 || httpStatus == 408;
        return new ProviderException(502, throttled ? ApiErrors.ProviderRateLimited : ApiErrors.ProviderError,
            throttled ? $"{provider} is throttling requests" : $"{provider} answered with an error ({httpStatus})", transient,
            new Dictionary<string, object?>
            {
                ["provider"] = provider,
                ["provider_status"] = httpStatus,
                ["provider_code"] = providerCode,
                ["retry_recommended"] = transient,
            }, mayHaveApplied: httpStatus >= 500 || httpStatus == 408);
    }

    public static ProviderException InvalidResponse(string provider, string what) =>
        new(502, ApiErrors.ProviderError, $"{provider} sent a response we cannot use: {what}", false, new Dictionary<string, object?>
        {
            ["provider"] = provider,
            ["retry_recommended"] = false,
        }, mayHaveApplied: true);
}
