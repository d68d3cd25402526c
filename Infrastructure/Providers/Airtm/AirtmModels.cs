using System.Text.Json;
using System.Text.Json.Serialization;

namespace OfferHub.Lite.Infrastructure.Providers.Airtm;

// The Airtm Enterprise API v2 shapes of providers.md. Field names are Airtm's (camelCase);
// amounts are JSON numbers in USD, held as decimal and converted with AirtmMoney.

public sealed record AirtmUser(string Id, string Status, bool PrimaryEmail, string? FirstName, string? LastName, string? Country, bool IsVerified);

public sealed record PayinItem(string Description, decimal Amount, int Quantity);

public sealed record CreatePayinRequest(string Code, decimal Amount, string Description, IReadOnlyList<PayinItem> Items, string ConfirmationUri, string CancelUri);

public sealed record Payin(
    string Id,
    string Code,
    string Hash,
    string Status,
    decimal Amount,
    decimal? NetAmount,
    decimal? AirtmFee,
    string Description,
    IReadOnlyList<PayinItem> Items,
    string? AirtmUserId,
    string? AirtmUserEmail,
    string? FailureReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string ConfirmationUri,
    string CancelUri);

public sealed record CreatePayoutRequest(
    string AirtmUserEmail,
    decimal Amount,
    string Notes,
    string Code,
    bool Commit,
    bool? RequireIdVerified = null,
    decimal? EnterpriseFee = null,
    string? InternalNote = null);

public sealed record Payout(
    string Id,
    string Code,
    string? AirtmUserId,
    string AirtmUserEmail,
    string Status,
    decimal GrossAmount,
    decimal Amount,
    decimal? NetAmount,
    decimal? AirtmFee,
    decimal? EnterpriseFee,
    string? ReasonCode,
    string? ReasonDescription,
    JsonElement? KycInformation,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record AirtmPage<T>(IReadOnlyList<T> Items, string? StartCursor, string? EndCursor);

public sealed record AirtmError(string Code, string Message);

/// <summary>The Svix envelope: {"type": "payin.confirmed", "data": PayinResponse | PayoutResponse}.</summary>
public sealed record AirtmWebhook(string Type, JsonElement Data);

public static class AirtmJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
