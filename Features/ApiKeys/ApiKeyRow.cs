using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.ApiKeys;

/// <summary>An API key as listed: never the secret, only its recognisable prefix.</summary>
public sealed record ApiKeySummary(
    string Id,
    string? Name,
    string KeyPrefix,
    IReadOnlyList<string> Scopes,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt) : IHasId;

public sealed record ApiKeyRow(string Id, string? Name, string KeyPrefix, string Scopes, long CreatedAt, long? LastUsedAt, long? RevokedAt)
{
    public const string Columns = "id, name, key_prefix, scopes, created_at, last_used_at, revoked_at";

    public ApiKeySummary ToSummary() => new(
        Id,
        Name,
        KeyPrefix,
        Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries),
        RevokedAt is null ? "active" : "revoked",
        Timestamps.FromMs(CreatedAt),
        Timestamps.FromMs(LastUsedAt),
        Timestamps.FromMs(RevokedAt));
}
