using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OfferHub.Lite.Infrastructure.Primitives;

/// <summary>The one JSON configuration: snake_case names, UTC timestamps with milliseconds,
/// null fields written out (the contract says nullable fields are present).</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.PropertyNameCaseInsensitive = false;
        options.ReadCommentHandling = JsonCommentHandling.Disallow;
        options.AllowTrailingCommas = false;
        // Messages are read by people: an apostrophe or an accent stays itself (the default encoder
        // writes \u0027). HTML-sensitive characters need no escaping in an application/json body.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        if (!options.Converters.OfType<UtcTimestampConverter>().Any())
        {
            options.Converters.Add(new UtcTimestampConverter());
        }

        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static byte[] SerializeToUtf8Bytes(object? value) => JsonSerializer.SerializeToUtf8Bytes(value, value?.GetType() ?? typeof(object), Options);
}

/// <summary>ISO 8601 UTC with milliseconds: 2026-01-12T10:00:00.000Z.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? throw new JsonException("A timestamp is required."), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
