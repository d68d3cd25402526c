using System.Globalization;

namespace OfferHub.Lite.Infrastructure.Primitives;

/// <summary>Stored timestamps are UTC unix milliseconds.</summary>
public static class Timestamps
{
    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? FromMs(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    /// <summary>Parses a query's ISO 8601 timestamp into unix ms. The time zone must be given (Z or
    /// an offset): a bare local time would mean a different instant on every server.</summary>
    public static bool TryParse(string? value, out long ms)
    {
        ms = 0;
        if (value is null || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            || !(value.EndsWith('Z') || value.Contains('+') || value.LastIndexOf('-') > 10))
        {
            return false;
        }

        ms = parsed.ToUnixTimeMilliseconds();
        return true;
    }

    public static long NowMs(this TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
