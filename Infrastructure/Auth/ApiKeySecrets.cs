using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace OfferHub.Lite.Infrastructure.Auth;

/// <summary>Secret material for API keys and tokens. A key carries 256 random bits, so one
/// SHA-256 is the right stored form: it cannot be brute-forced and lookups stay one index probe.</summary>
public static class ApiKeySecrets
{
    public const string TestPrefix = "ohk_test_";
    public const string LivePrefix = "ohk_live_";
    public const string TokenPrefix = "ohk_tok_";

    public static string NewKey(bool production) => (production ? LivePrefix : TestPrefix) + RandomPart();

    public static string NewToken() => TokenPrefix + RandomPart();

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Enough of the key to recognise it in a list, never enough to use it.</summary>
    public static string DisplayPrefix(string secret) => secret[..Math.Min(secret.Length, secret.IndexOf('_', 4) + 5)];

    public static bool LooksLikeIssuedSecret(string token) =>
        token.StartsWith(TestPrefix, StringComparison.Ordinal) || token.StartsWith(LivePrefix, StringComparison.Ordinal) || token.StartsWith(TokenPrefix, StringComparison.Ordinal);

    /// <summary>Constant-time comparison that also hides the length of the expected secret.</summary>
    public static bool FixedTimeEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static string RandomPart() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
}
