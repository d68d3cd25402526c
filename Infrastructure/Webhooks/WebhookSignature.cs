using System.Security.Cryptography;
using System.Text;

namespace OfferHub.Lite.Infrastructure.Webhooks;

/// <summary>The Standard Webhooks signature (what Svix sends, and what our own outbound webhooks
/// use): v1,base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")) with the key the base64 after
/// "whsec_". No maintained .NET package for it is served here, and it is a few lines.</summary>
public static class WebhookSignature
{
    private const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static bool IsSecret(string secret) => TryKey(secret, out _);

    public static string Sign(string secret, string id, long timestampSeconds, ReadOnlySpan<byte> body) =>
        "v1," + Convert.ToBase64String(Mac(Key(secret), id, timestampSeconds, body));

    /// <summary>True when the timestamp is within tolerance of now and any of the space-separated
    /// v1 signatures matches (senders list several while rotating secrets). Compared in constant time.</summary>
    public static bool Verify(string secret, string? id, string? timestamp, string? signatures, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(signatures) || !long.TryParse(timestamp, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds || !TryKey(secret, out var key))
        {
            return false;
        }

        var expected = Mac(key, id, seconds, body);
        var matched = false;
        foreach (var entry in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || entry[..comma] != "v1")
            {
                continue;
            }

            var candidate = new byte[expected.Length + 3];
            if (Convert.TryFromBase64String(entry[(comma + 1)..], candidate, out var written) && written == expected.Length)
            {
                // No early exit: every entry is checked, so timing does not reveal which matched.
                matched |= CryptographicOperations.FixedTimeEquals(candidate.AsSpan(0, written), expected);
            }
        }

        return matched;
    }

    private static byte[] Mac(byte[] key, string id, long timestampSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestampSeconds}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, content);
    }

    private static byte[] Key(string secret) =>
        TryKey(secret, out var key) ? key : throw new InvalidOperationException("A webhook secret must be 'whsec_' followed by base64.");

    private static bool TryKey(string secret, out byte[] key)
    {
        key = [];
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var encoded = secret[SecretPrefix.Length..];
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var written) || written < 16)
        {
            return false;
        }

        key = buffer[..written];
        return true;
    }
}
