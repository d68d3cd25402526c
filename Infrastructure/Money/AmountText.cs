using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Infrastructure.Money;

/// <summary>An amount as the client sent it, whatever its JSON type, so that a number or a
/// badly formatted string is INVALID_AMOUNT_FORMAT rather than a JSON type error. It is parsed
/// once, here at the edge, by the one amount grammar (<see cref="Amount.TryParse"/>): validators
/// ask <see cref="IsValid"/> and handlers take <see cref="Cents"/> without parsing again.</summary>
[JsonConverter(typeof(AmountTextConverter))]
public readonly record struct AmountText(string Raw, bool IsString)
{
    private readonly long? cents = IsString && Amount.TryParse(Raw, out var parsed) ? parsed : null;

    public bool IsValid => cents is not null;

    /// <summary>The value in cents; only call after validation.</summary>
    public long Cents => cents ?? throw new FormatException("Not a 2-decimal positive amount.");

    /// <summary>"0.00" is not an amount, but it is a share: one side of a split may get nothing.</summary>
    public bool IsZero => IsString && Raw == "0.00";

    public long CentsOrZero => IsZero ? 0 : Cents;

    public override string ToString() => Raw;
}

public sealed class AmountTextConverter : JsonConverter<AmountText>
{
    public override AmountText Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new AmountText(reader.GetString() ?? string.Empty, IsString: true);
        }

        using var document = JsonDocument.ParseValue(ref reader);
        return new AmountText(document.RootElement.GetRawText(), IsString: false);
    }

    public override void Write(Utf8JsonWriter writer, AmountText value, JsonSerializerOptions options) => writer.WriteStringValue(value.Raw);
}

public static class AmountRules
{
    public const string FormatMessage = "must be a string with exactly two decimals, greater than zero, e.g. \"10.00\"";

    public static IRuleBuilderOptions<T, AmountText?> MustBeAmount<T>(this IRuleBuilder<T, AmountText?> rule) =>
        rule.Must(value => value is null || value.Value.IsValid)
            .WithErrorCode(ApiErrors.InvalidAmountFormat)
            .WithMessage(FormatMessage);

    public static IRuleBuilderOptions<T, AmountText?> MustBeZeroOrAmount<T>(this IRuleBuilder<T, AmountText?> rule) =>
        rule.Must(value => value is null || value.Value.IsValid || value.Value.IsZero)
            .WithErrorCode(ApiErrors.InvalidAmountFormat)
            .WithMessage("must be a string with exactly two decimals, e.g. \"10.00\" or \"0.00\"");

    /// <summary>422 AMOUNT_BELOW_MINIMUM when <paramref name="cents"/> is under the configured
    /// <paramref name="minimum"/> for <paramref name="what"/>.</summary>
    public static void RequireAtLeast(long cents, long minimum, string what)
    {
        if (cents < minimum)
        {
            throw new ApiException(422, ApiErrors.AmountBelowMinimum, $"The amount is below the minimum {what}",
                new Dictionary<string, object?> { ["limit"] = Amount.Format(minimum), ["requested"] = Amount.Format(cents) });
        }
    }

    /// <summary>422 AMOUNT_ABOVE_MAXIMUM when <paramref name="cents"/> is over the configured
    /// <paramref name="maximum"/> for <paramref name="what"/>.</summary>
    public static void RequireAtMost(long cents, long maximum, string what)
    {
        if (cents > maximum)
        {
            throw new ApiException(422, ApiErrors.AmountAboveMaximum, $"The {what} amount is above the configured maximum",
                new Dictionary<string, object?> { ["limit"] = Amount.Format(maximum), ["requested"] = Amount.Format(cents) });
        }
    }

    public static IRuleBuilderOptions<T, string?> MustBeCurrency<T>(this IRuleBuilder<T, string?> rule, IReadOnlyCollection<string> enabled) =>
        rule.Must(value => value is null || enabled.Contains(value))
            .WithErrorCode(ApiErrors.InvalidCurrency)
            .WithMessage($"must be one of the enabled currencies: {string.Join(", ", enabled)}");
}
