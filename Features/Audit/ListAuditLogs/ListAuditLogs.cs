using System.Text.Json;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Paging;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Audit.ListAuditLogs;

public static class ListAuditLogs
{
    public sealed record Query(
        [property: FromQuery(Name = "resource_type")] string? ResourceType,
        [property: FromQuery(Name = "resource_id")] string? ResourceId,
        [property: FromQuery(Name = "action")] string? Action,
        [property: FromQuery(Name = "actor_type")] string? ActorType,
        [property: FromQuery(Name = "from")] string? From,
        [property: FromQuery(Name = "to")] string? To,
        [property: FromQuery(Name = "limit")] string? Limit,
        [property: FromQuery(Name = "cursor")] string? Cursor) : IQuery<Page<Entry>>, IPagedQuery;

    public sealed record Entry(
        string Id,
        DateTimeOffset OccurredAt,
        string Action,
        ActorRef Actor,
        ResourceRef? Resource,
        string Result,
        ErrorRef? Error,
        JsonElement? Before,
        JsonElement? After,
        string? RequestId,
        string? IdempotencyKey,
        string? ProviderRef,
        string? Ip,
        string? UserAgent);

    public sealed record ActorRef(string Type, string? Id);

    public sealed record ResourceRef(string Type, string? Id);

    public sealed record ErrorRef(string Code, string? Message);

    public static readonly string[] ActorTypes = ["marketplace_api", "support", "webhook", "system", "master"];

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.ResourceType).MustBePlainText(32);
            RuleFor(q => q.ResourceId).MustBePlainText(64);
            RuleFor(q => q.Action).MustBePlainText(64);
            RuleFor(q => q.ActorType).MustBeOneOf(ActorTypes);
            RuleFor(q => q.From).MustBeTimestamp();
            RuleFor(q => q.To).MustBeTimestamp();
            RuleFor(q => q.Limit).MustBeLimit();
            RuleFor(q => q.Cursor).MustBeCursor("aud");
        }
    }

    public sealed class Handler(Db db) : IQueryHandler<Query, Page<Entry>>
    {
        private const string Sql = """
            SELECT id, occurred_at, action, actor_type, actor_id, resource_type, resource_id, result, error_code, error_message,
                   before_state, after_state, request_id, idempotency_key, provider_ref, ip, user_agent
            FROM audit_logs /**where**/ ORDER BY id DESC LIMIT @fetch
            """;

        public async ValueTask<Page<Entry>> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = query.Page();
            long from = 0, to = 0;
            var where = new SqlWhere()
                .When(query.ResourceType is not null, "resource_type = @resourceType", "resourceType", query.ResourceType)
                .When(query.ResourceId is not null, "resource_id = @resourceId", "resourceId", query.ResourceId)
                .When(query.Action is not null, "action = @action", "action", query.Action)
                .When(query.ActorType is not null, "actor_type = @actorType", "actorType", query.ActorType)
                .When(Timestamps.TryParse(query.From, out from), "occurred_at >= @from", "from", from)
                .When(Timestamps.TryParse(query.To, out to), "occurred_at <= @to", "to", to)
                .Page(page);
            var rows = await db.QueryAsync<Row>(where.Into(Sql), where.Parameters, cancellationToken);
            return Pages.From(rows.Select(r => r.ToEntry()).ToList(), page, e => e.Id);
        }
    }

    private sealed record Row(
        string Id,
        long OccurredAt,
        string Action,
        string ActorType,
        string? ActorId,
        string? ResourceType,
        string? ResourceId,
        string Result,
        string? ErrorCode,
        string? ErrorMessage,
        string? BeforeState,
        string? AfterState,
        string? RequestId,
        string? IdempotencyKey,
        string? ProviderRef,
        string? Ip,
        string? UserAgent)
    {
        public Entry ToEntry() => new(
            Id,
            Timestamps.FromMs(OccurredAt),
            Action,
            new ActorRef(ActorType, ActorId),
            ResourceType is null ? null : new ResourceRef(ResourceType, ResourceId),
            Result,
            ErrorCode is null ? null : new ErrorRef(ErrorCode, ErrorMessage),
            Json(BeforeState),
            Json(AfterState),
            RequestId,
            IdempotencyKey,
            ProviderRef,
            Ip,
            UserAgent);

        private static JsonElement? Json(string? text) => text is null ? null : JsonDocument.Parse(text).RootElement.Clone();
    }
}
