using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Paging;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.Events.ListEvents;

/// <summary>A page of stored events. Unlike other lists it reads forward, oldest first, from the
/// cursor: the same meaning a cursor has on the live stream, so a client can poll with it.</summary>
public static class ListEvents
{
    public sealed record Query(
        [property: FromQuery(Name = "types")] string? Types,
        [property: FromQuery(Name = "user_id")] string? UserId,
        [property: FromQuery(Name = "resource_type")] string? ResourceType,
        [property: FromQuery(Name = "resource_id")] string? ResourceId,
        [property: FromQuery(Name = "limit")] string? Limit,
        [property: FromQuery(Name = "cursor")] string? Cursor) : IQuery<Page<EventResponse>>, IPagedQuery, IEventFilter;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            EventFilters.AddRules(this);
            RuleFor(q => q.Limit).MustBeLimit();
            RuleFor(q => q.Cursor).MustBeCursor("evt");
        }
    }

    public sealed class Handler(Db db) : IQueryHandler<Query, Page<EventResponse>>
    {
        private const string Sql = $"SELECT {EventRow.Columns} FROM events /**where**/ ORDER BY id ASC LIMIT @fetch";

        public async ValueTask<Page<EventResponse>> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = query.Page();
            var where = EventFilters.Where(query).When(page.Cursor is not null, "id > @cursor", "cursor", page.Cursor);
            where.Parameters.Add("fetch", page.Fetch);
            var rows = await db.QueryAsync<EventRow>(where.Into(Sql), where.Parameters, cancellationToken);
            return Pages.From(rows.Select(r => r.ToResponse()).ToList(), page, e => e.Id);
        }
    }
}
