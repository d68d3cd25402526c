using System.Text.Json;
using FluentValidation;
using OfferHub.Lite.Infrastructure.Paging;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.Pipeline;

/// <summary>Rules shared by many validators.</summary>
public static class ValidationRules
{
    public const int MaxMetadataBytes = 16 * 1024;

    public static IRuleBuilderOptions<T, string?> MustBeLimit<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => value is null || (int.TryParse(value, out var n) && n is >= 1 and <= PageRequest.MaxLimit))
            .WithMessage($"must be a whole number from 1 to {PageRequest.MaxLimit}");

    public static IRuleBuilderOptions<T, string?> MustBeCursor<T>(this IRuleBuilder<T, string?> rule, string idPrefix) =>
        rule.Must(value => value is null || Ids.HasShape(value, idPrefix))
            .WithMessage($"must be an id starting with {idPrefix}_");

    public static IRuleBuilderOptions<T, string?> MustBeTimestamp<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => value is null || Timestamps.TryParse(value, out _))
            .WithMessage("must be an ISO 8601 timestamp with a time zone, e.g. 2026-01-12T10:00:00.000Z");

    public static IRuleBuilderOptions<T, string?> MustBeOneOf<T>(this IRuleBuilder<T, string?> rule, params string[] allowed) =>
        rule.Must(value => value is null || allowed.Contains(value, StringComparer.Ordinal))
            .WithMessage($"must be one of: {string.Join(", ", allowed)}");

    public static IRuleBuilderOptions<T, string?> MustBePlainText<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.Must(value => value is null || (value.Length <= maxLength && !value.Any(char.IsControl)))
            .WithMessage($"must be at most {maxLength} characters without control characters");

    public static IRuleBuilderOptions<T, JsonElement?> MustBeMetadata<T>(this IRuleBuilder<T, JsonElement?> rule) =>
        rule.Must(value => value is null || value.Value.ValueKind == JsonValueKind.Null
                           || (value.Value.ValueKind == JsonValueKind.Object && value.Value.GetRawText().Length <= MaxMetadataBytes))
            .WithMessage($"must be a JSON object of at most {MaxMetadataBytes} bytes");

    public static IRuleBuilderOptions<T, string?> MustBeEmail<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => value is null || (value.Length <= 254 && System.Net.Mail.MailAddress.TryCreate(value, out var parsed) && parsed.Address == value))
            .WithMessage("must be a valid e-mail address");

    /// <summary>An absolute https URL; plain http only for localhost, and only in sandbox.</summary>
    public static IRuleBuilderOptions<T, string?> MustBeCallbackUrl<T>(this IRuleBuilder<T, string?> rule, bool sandbox) =>
        rule.Must(value => value is null || (value.Length <= 2048 && Uri.TryCreate(value, UriKind.Absolute, out var uri)
                                             && (uri.Scheme == Uri.UriSchemeHttps || (sandbox && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))))
            .WithMessage(sandbox ? "must be an https URL (http is allowed for localhost)" : "must be an https URL");
}
