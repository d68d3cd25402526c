namespace OfferHub.Lite.Infrastructure.Events;

/// <summary>Event type patterns: "*" for all, "order.*" for a family, or an exact type.</summary>
public static class EventTypes
{
    public static bool Matches(IEnumerable<string> patterns, string type) =>
        patterns.Any(p => p == "*" || p == type || (p.EndsWith(".*", StringComparison.Ordinal) && type.StartsWith(p[..^1], StringComparison.Ordinal)));
}
