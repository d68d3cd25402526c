using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OfferHub.Lite.Infrastructure.Money;

/// <summary>Money at the edge: exactly two decimals, as a string. Inside: long cents.</summary>
public static partial class Amount
{
    public const long MaxCents = 999_999_999_999;

    /// <summary>The same grammar for JSON Schema (ECMA-262, where "$" is the end of the text).</summary>
    public const string SchemaPattern = @"^[0-9]{1,10}\.[0-9]{2}$";

    // The one amount grammar: ASCII digits only ("\d" would admit every script's digits) and
    // nothing around them ("$" would admit a trailing newline).
    [GeneratedRegex(@"\A(?<units>[0-9]{1,10})\.(?<cents>[0-9]{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Format();

    /// <summary>Parses "12.34" into 1234 cents. Zero, negatives, exponents, whitespace, non-ASCII
    /// digits and any other number of decimals are refused.</summary>
    public static bool TryParse(string? text, out long cents)
    {
        cents = 0;
        if (text is null)
        {
            return false;
        }

        var match = Format().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var units = long.Parse(match.Groups["units"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        var fraction = long.Parse(match.Groups["cents"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        cents = checked((units * 100) + fraction);
        return cents is > 0 and <= MaxCents;
    }

    public static long Parse(string text) =>
        TryParse(text, out var cents) ? cents : throw new FormatException("Not a 2-decimal positive amount.");

    /// <summary>Formats cents as "12.34"; negative values keep their sign (ledger entries are signed).</summary>
    public static string Format(long cents)
    {
        var sign = cents < 0 ? "-" : string.Empty;
        var magnitude = Math.Abs(cents);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{magnitude / 100}.{magnitude % 100:D2}");
    }

    public static bool IsValid([NotNullWhen(true)] string? text) => TryParse(text, out _);
}
