using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Events;

/// <summary>The filters events.md gives the JSON list and the live stream alike.</summary>
public interface IEventFilter
{
    string? Types { get; }

    string? UserId { get; }

    string? ResourceType { get; }

    string? ResourceId { get; }
}

public sealed record EventResponse(
    string Id,
    string Type,
    DateTimeOffset OccurredAt,
    string ResourceType,
    string ResourceId,
    IReadOnlyList<string> UserIds,
    JsonElement Data,
    string? RequestId,
    string? IdempotencyKey);

public sealed record EventRow(
    string Id, string Type, long OccurredAt, string ResourceType, string ResourceId, string UserIds, string Data, string? RequestId, string? IdempotencyKey, long? Seq)
{
    public const string Columns = "id, type, occurred_at, resource_type, resource_id, user_ids, data, request_id, idempotency_key, seq";

    public EventResponse ToResponse() => new(
        Id,
        Type,
        Timestamps.FromMs(OccurredAt),
        ResourceType,
        ResourceId,
        JsonSerializer.Deserialize<List<string>>(UserIds) ?? [],
        JsonDocument.Parse(Data).RootElement.Clone(),
        RequestId,
        IdempotencyKey);
}

public static partial class EventFilters
{
    [GeneratedRegex(@"^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$")]
    private static partial Regex TypePattern();

    public static void AddRules<T>(AbstractValidator<T> validator)
        where T : IEventFilter
    {
        validator.RuleFor(q => q.Types)
            .Must(types => types is null || (types.Length <= 1000 && types.Split(',').All(t => TypePattern().IsMatch(t.Trim()))))
            .WithMessage("must be a comma list of event types; 'order.*' and '*' are wildcards");
        validator.RuleFor(q => q.UserId).MustBeCursor("usr").WithMessage("must be a user id (usr_...)");
        validator.RuleFor(q => q.ResourceType).MustBePlainText(32);
        validator.RuleFor(q => q.ResourceId).MustBePlainText(64);
    }

    /// <summary>The same filter as <see cref="Where"/>, applied in memory to an event already read;
    /// the type patterns are parsed here once, not per event.</summary>
    public static Func<EventResponse, bool> Matcher(IEventFilter filter)
    {
        var patterns = filter.Types?.Split(',').Select(t => t.Trim()).Distinct().ToList() ?? [];
        var anyType = patterns.Count == 0 || patterns.Contains("*");
        var exact = patterns.Where(p => !p.EndsWith(".*", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var families = patterns.Where(p => p.EndsWith(".*", StringComparison.Ordinal)).Select(p => p[..^1]).ToArray();
        var (resourceType, resourceId, userId) = (filter.ResourceType, filter.ResourceId, filter.UserId);
        return evt =>
            (resourceType is null || evt.ResourceType == resourceType)
            && (resourceId is null || evt.ResourceId == resourceId)
            && (userId is null || evt.UserIds.Contains(userId))
            && (anyType || exact.Contains(evt.Type) || Array.Exists(families, f => evt.Type.StartsWith(f, StringComparison.Ordinal)));
    }

    public static SqlWhere Where(IEventFilter filter)
    {
        var where = new SqlWhere()
            .When(filter.UserId is not null, "id IN (SELECT event_id FROM event_users WHERE user_id = @userId)", "userId", filter.UserId)
            .When(filter.ResourceType is not null, "resource_type = @resourceType", "resourceType", filter.ResourceType)
            .When(filter.ResourceId is not null, "resource_id = @resourceId", "resourceId", filter.ResourceId);
        var patterns = filter.Types?.Split(',').Select(t => t.Trim()).Distinct().ToList() ?? [];
        if (patterns.Count == 0 || patterns.Contains("*"))
        {
            return where;
        }

        var alternatives = new List<string>();
        for (var i = 0; i < patterns.Count; i++)
        {
            var name = "type" + i;
            if (patterns[i].EndsWith(".*", StringComparison.Ordinal))
            {
                alternatives.Add($"type LIKE @{name} ESCAPE '\\'");
                where.Parameters.Add(name, patterns[i][..^1].Replace("_", "\\_", StringComparison.Ordinal) + "%");
            }
            else
            {
                alternatives.Add($"type = @{name}");
                where.Parameters.Add(name, patterns[i]);
            }
        }

        return where.Add("(" + string.Join(" OR ", alternatives) + ")");
    }
}
