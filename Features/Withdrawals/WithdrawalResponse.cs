using OfferHub.Lite.Features.AirtmRails;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;
using Cents = OfferHub.Lite.Infrastructure.Money.Amount;

namespace OfferHub.Lite.Features.Withdrawals;

public sealed record WithdrawalResponse(
    string Id,
    string UserId,
    string Status,
    string Amount,
    string Currency,
    WithdrawalDestination Destination,
    WithdrawalProviderRef ProviderRef,
    string? AirtmFee,
    string? ReasonCode,
    string? ReasonDescription,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt) : IHasId;

public sealed record WithdrawalDestination(string Type, string Ref);

public sealed record WithdrawalProviderRef(string? AirtmPayoutId);

public sealed record WithdrawalRow(
    string Id,
    string UserId,
    string Status,
    long Amount,
    string Currency,
    string DestinationEmail,
    long CommitRequested,
    string? AirtmPayoutId,
    long? AirtmFee,
    string? ReasonCode,
    string? ReasonDescription,
    long? ProviderUpdatedAt,
    string? RequestKey,
    long ExpiresAt,
    long CreatedAt,
    long UpdatedAt) : IAirtmRailRow
{
    public const string Columns = """
        id, user_id, status, amount, currency, destination_email, commit_requested, airtm_payout_id, airtm_fee, reason_code,
        reason_description, provider_updated_at, request_key, expires_at, created_at, updated_at
        """;

    string? IAirtmRailRow.AirtmOperationId => AirtmPayoutId;

    public WithdrawalResponse ToResponse() => new(
        Id,
        UserId,
        Status,
        Cents.Format(Amount),
        Currency,
        new WithdrawalDestination("airtm", DestinationEmail),
        new WithdrawalProviderRef(AirtmPayoutId),
        AirtmFee is { } fee ? Cents.Format(fee) : null,
        ReasonCode,
        ReasonDescription,
        Timestamps.FromMs(ExpiresAt),
        Timestamps.FromMs(CreatedAt),
        Timestamps.FromMs(UpdatedAt));
}
