using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OfferHub.Lite.Infrastructure.Audit;

/// <summary>Makes a value safe for the audit log: secrets removed, e-mail addresses masked.</summary>
public static partial class Redactor
{
    public const string Redacted = "[REDACTED]";

    private static readonly HashSet<string> SecretFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "api_key", "token", "secret", "signed_xdr", "password", "authorization", "master_key", "key_hash", "api_secret",
    };

    [GeneratedRegex(@"^(?<first>[^@\s])[^@\s]*@(?<domain>[^@\s]+\.[^@\s]+)$")]
    private static partial Regex Email();

    public static JsonNode? Redact(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    obj[name] = SecretFields.Contains(name) && child is not null ? JsonValue.Create(Redacted) : Redact(child);
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Redact(array[i]?.DeepClone());
                }

                return array;
            case JsonValue value when value.TryGetValue<string>(out var text):
                return JsonValue.Create(MaskEmail(text));
            default:
                return node;
        }
    }

    /// <summary>j***@example.com</summary>
    public static string MaskEmail(string text)
    {
        var match = Email().Match(text);
        return match.Success ? $"{match.Groups["first"].Value}***@{match.Groups["domain"].Value}" : text;
    }
}
