using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Events.ListEvents;

/// <summary>A page of stored events. Unlike other lists it reads forward, oldest first, from the
/// cursor: the same meaning a cursor has on the live stream, so a client can poll with it.</summary>
public static partial class ListEvents
{
    public sealed record Query(
        [property: FromQuery(Name = "types")] string? Types,
        [property: FromQuery(Name = "user_id")] string? UserId,
        [property: FromQuery(Name = "resource_type")] string? ResourceType,
        [property: FromQuery(Name = "resource_id")] string? ResourceId,
        [property: FromQuery(Name = "limit")] string? Limit,
        [property: FromQuery(Name = "cursor")] string? Cursor) : IQuery<Page<EventResponse>>, IPagedQuery;

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

    [GeneratedRegex(@"^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$")]
    private static partial Regex TypePattern();

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Types)
                .Must(types => types is null || (types.Length <= 1000 && types.Split(',').All(t => TypePattern().IsMatch(t.Trim()))))
                .WithMessage("must be a comma list of event types; 'order.*' and '*' are wildcards");
            RuleFor(q => q.UserId).MustBeCursor("usr").WithMessage("must be a user id (usr_...)");
            RuleFor(q => q.ResourceType).MustBePlainText(32);
            RuleFor(q => q.ResourceId).MustBePlainText(64);
            RuleFor(q => q.Limit).MustBeLimit();
            RuleFor(q => q.Cursor).MustBeCursor("evt");
        }
    }

    public sealed class Handler(Db db) : IQueryHandler<Query, Page<EventResponse>>
    {
        private const string Sql = """
            SELECT id, type, occurred_at, resource_type, resource_id, user_ids, data, request_id, idempotency_key
            FROM events /**where**/ ORDER BY id ASC LIMIT @fetch
            """;

        public async ValueTask<Page<EventResponse>> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = query.Page();
            var where = new SqlWhere()
                .When(page.Cursor is not null, "id > @cursor", "cursor", page.Cursor)
                .When(query.UserId is not null, "id IN (SELECT event_id FROM event_users WHERE user_id = @userId)", "userId", query.UserId)
                .When(query.ResourceType is not null, "resource_type = @resourceType", "resourceType", query.ResourceType)
                .When(query.ResourceId is not null, "resource_id = @resourceId", "resourceId", query.ResourceId);
            AddTypeFilter(where, query.Types);
            where.Parameters.Add("fetch", page.Fetch);
            var rows = await db.QueryAsync<Row>(where.Into(Sql), where.Parameters, cancellationToken);
            return Pages.From(rows.Select(r => r.ToResponse()).ToList(), page, e => e.Id);
        }

        private static void AddTypeFilter(SqlWhere where, string? types)
        {
            var patterns = types?.Split(',').Select(t => t.Trim()).Distinct().ToList() ?? [];
            if (patterns.Count == 0 || patterns.Contains("*"))
            {
                return;
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

            where.Add("(" + string.Join(" OR ", alternatives) + ")");
        }
    }

    private sealed record Row(
        string Id, string Type, long OccurredAt, string ResourceType, string ResourceId, string UserIds, string Data, string? RequestId, string? IdempotencyKey)
    {
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
}
