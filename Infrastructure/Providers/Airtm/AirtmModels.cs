using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OfferHub.Lite.Infrastructure.Providers.Airtm;

// The Airtm Enterprise API v2 shapes, field by field as its OpenAPI document (1.87.0) defines them
// (components.schemas). Field names are Airtm's (camelCase); amounts are JSON numbers in USD, held
// as decimal and converted with AirtmMoney. Fields the document marks required are non-nullable here.

/// <summary>User: id, status, primaryEmail and isVerified required. The document's enum is lower
/// case while its FAQ writes ACTIVE: compare with <see cref="AirtmStatuses.Is"/>.</summary>
public sealed record AirtmUser(string Id, string Status, bool PrimaryEmail, bool IsVerified, string? FirstName = null, string? LastName = null, string? Country = null);

/// <summary>Me: only id is required.</summary>
public sealed record AirtmMe(string Id, decimal? CancelPendingPayoutsAfterDays = null, bool? PayoutRequireIdVerification = null);

/// <summary>CreatePayinItem (request): description, amount and quantity, all required.</summary>
public sealed record CreatePayinItem(string Description, decimal Amount, decimal Quantity);

/// <summary>PayinItem (response): Airtm adds the item's own id and its pay-in's id, both required.</summary>
public sealed record PayinItem(string Id, string PayinId, string Description, decimal Amount, decimal Quantity);

public sealed record CreatePayinRequest(string Code, decimal Amount, string Description, IReadOnlyList<CreatePayinItem> Items, string ConfirmationUri, string CancelUri);

/// <summary>PayinResponse. netAmount and airtmFee are required (known from creation); the payer's
/// id and e-mail only once someone confirms. hash is optional in the document.</summary>
public sealed record Payin(
    string Id,
    string Code,
    string Status,
    decimal Amount,
    decimal NetAmount,
    decimal AirtmFee,
    string Description,
    IReadOnlyList<PayinItem> Items,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string ConfirmationUri,
    string CancelUri,
    string? Hash = null,
    string? AirtmUserId = null,
    string? AirtmUserEmail = null,
    string? FailureReason = null);

/// <summary>CreatePayoutRequest: airtmUserEmail, amount and notes required; the rest optional.</summary>
public sealed record CreatePayoutRequest(
    string AirtmUserEmail,
    decimal Amount,
    string Notes,
    string? Code = null,
    bool? Commit = null,
    bool? RequireIdVerified = null,
    decimal? EnterpriseFee = null,
    string? InternalNote = null);

/// <summary>PayoutResponse. grossAmount is what was asked; amount = grossAmount − enterpriseFee is
/// what leaves the enterprise account; netAmount = amount − airtmFee is what the recipient gets.
/// code is optional in the document (we always send ours). reasonCode is typed string but Airtm's
/// own webhook example sends a number: both are read.</summary>
public sealed record Payout(
    string Id,
    string AirtmUserId,
    string AirtmUserEmail,
    string Status,
    decimal GrossAmount,
    decimal Amount,
    decimal NetAmount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Code = null,
    string? Hash = null,
    string? BulkPayoutId = null,
    bool? RequireIdVerified = null,
    string? Notes = null,
    string? InternalNote = null,
    decimal? AirtmFee = null,
    decimal? EnterpriseFee = null,
    [property: JsonConverter(typeof(StringOrNumberConverter))] string? ReasonCode = null,
    string? ReasonDescription = null,
    JsonElement? KycInformation = null);

/// <summary>Paginated_*: items required; the cursors are absent on an empty page.</summary>
public sealed record AirtmPage<T>(IReadOnlyList<T> Items, string? StartCursor = null, string? EndCursor = null);

/// <summary>The error body of every operation (the "default" response): code and message
/// required, data optional. code is one of the document's 415xxx reason codes.</summary>
public sealed record AirtmError(string Code, string Message, IReadOnlyDictionary<string, object?>? Data = null);

/// <summary>The Svix envelope: {"type": "payin.confirmed", "data": PayinResponse | PayoutResponse}.</summary>
public sealed record AirtmWebhook(string Type, JsonElement Data);

public static class AirtmJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // An answer without a field the document marks required is not Airtm's: refused, not half-read.
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };
}

/// <summary>Reads a JSON string or number as its text (Airtm's reasonCode and error code); writes a string.</summary>
public sealed class StringOrNumberConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => reader.TryGetInt64(out var whole) ? whole.ToString(CultureInfo.InvariantCulture) : reader.GetDecimal().ToString(CultureInfo.InvariantCulture),
        _ => throw new JsonException("expected a string or a number"),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
