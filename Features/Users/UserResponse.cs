using System.Text.Json;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Users;

/// <summary>The user resource of api.md, shared by the user slices.</summary>
public sealed record UserResponse(
    string Id,
    string ExternalUserId,
    string? Email,
    string Type,
    string Status,
    string? AirtmUserId,
    string? AirtmEmail,
    string? StellarAddress,
    JsonElement? Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt) : IHasId;

public sealed record UserRow(
    string Id,
    string ExternalUserId,
    string? Email,
    string Type,
    string Status,
    string? AirtmUserId,
    string? AirtmEmail,
    string? StellarAddress,
    string? Metadata,
    long CreatedAt,
    long UpdatedAt)
{
    public const string Columns = "id, external_user_id, email, type, status, airtm_user_id, airtm_email, stellar_address, metadata, created_at, updated_at";

    public UserResponse ToResponse() => new(
        Id,
        ExternalUserId,
        Email,
        Type,
        Status,
        AirtmUserId,
        AirtmEmail,
        StellarAddress,
        Metadata is null ? null : JsonDocument.Parse(Metadata).RootElement.Clone(),
        Timestamps.FromMs(CreatedAt),
        Timestamps.FromMs(UpdatedAt));
}

public static class UserValues
{
    /// <summary>The one status in which a user may move money.</summary>
    public const string Active = "ACTIVE";

    public static readonly string[] Types = ["buyer", "seller", "both"];
    public static readonly string[] Statuses = [Active, "SUSPENDED", "PENDING_VERIFICATION"];
}
