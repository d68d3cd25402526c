using System.Text.Json;
using OfferHub.Lite.Features.AirtmRails;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;
using Cents = OfferHub.Lite.Infrastructure.Money.Amount;

namespace OfferHub.Lite.Features.Topups;

public sealed record TopupResponse(
    string Id,
    string UserId,
    string Status,
    string Amount,
    string Currency,
    string? ConfirmationUri,
    string CancelUri,
    string ReturnUrl,
    TopupProviderRef ProviderRef,
    string? AirtmFee,
    string? NetAmount,
    string? FailureReason,
    JsonElement? Metadata,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt) : IHasId;

public sealed record TopupProviderRef(string? AirtmPayinId);

public sealed record TopupRow(
    string Id,
    string UserId,
    string Status,
    long Amount,
    string Currency,
    string ReturnUrl,
    string CancelUrl,
    string? Metadata,
    string? AirtmPayinId,
    string? ConfirmationUri,
    long? AirtmFee,
    long? NetAmount,
    string? PayerAirtmUserId,
    string? FailureReason,
    long? ProviderUpdatedAt,
    string? RequestKey,
    long ExpiresAt,
    long CreatedAt,
    long UpdatedAt) : IAirtmRailRow
{
    public const string Columns = """
        id, user_id, status, amount, currency, return_url, cancel_url, metadata, airtm_payin_id, confirmation_uri, airtm_fee,
        net_amount, payer_airtm_user_id, failure_reason, provider_updated_at, request_key, expires_at, created_at, updated_at
        """;

    string? IAirtmRailRow.AirtmOperationId => AirtmPayinId;

    public TopupResponse ToResponse() => new(
        Id,
        UserId,
        Status,
        Cents.Format(Amount),
        Currency,
        ConfirmationUri,
        CancelUrl,
        ReturnUrl,
        new TopupProviderRef(AirtmPayinId),
        AirtmFee is { } fee ? Cents.Format(fee) : null,
        NetAmount is { } net ? Cents.Format(net) : null,
        FailureReason,
        Metadata is null ? null : JsonDocument.Parse(Metadata).RootElement.Clone(),
        Timestamps.FromMs(ExpiresAt),
        Timestamps.FromMs(CreatedAt),
        Timestamps.FromMs(UpdatedAt));
}
