using System.Buffers;
using NUlid;
using NUlid.Rng;

namespace OfferHub.Lite.Infrastructure.Primitives;

/// <summary>Prefixed, URL-safe, unguessable, time-ordered ids: prefix + "_" + a monotonic ULID
/// (48-bit milliseconds, 80 random bits) in lower-case Crockford base32, so lexicographic order
/// is creation order, also within one millisecond in this process.</summary>
public static class Ids
{
    public const int BodyLength = 26;
    private static readonly MonotonicUlidRng Rng = new();
    private static readonly Lock Gate = new();
    private static readonly SearchValues<char> Alphabet = SearchValues.Create("0123456789abcdefghjkmnpqrstvwxyz");

    public static string New(string prefix)
    {
        Ulid ulid;
        lock (Gate)
        {
            ulid = Ulid.NewUlid(Rng);
        }

        return prefix + "_" + ulid.ToString().ToLowerInvariant();
    }

    public static bool HasShape(string? id, string prefix) =>
        id is not null
        && id.Length == prefix.Length + 1 + BodyLength
        && id.StartsWith(prefix + "_", StringComparison.Ordinal)
        && id.AsSpan(prefix.Length + 1).IndexOfAnyExcept(Alphabet) < 0;
}
