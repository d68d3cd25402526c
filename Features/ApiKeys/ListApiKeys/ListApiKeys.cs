using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Paging;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.ApiKeys.ListApiKeys;

public static class ListApiKeys
{
    public sealed record Query(
        [property: FromQuery(Name = "limit")] string? Limit,
        [property: FromQuery(Name = "cursor")] string? Cursor) : IQuery<Page<ApiKeySummary>>, IPagedQuery;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Limit).MustBeLimit();
            RuleFor(q => q.Cursor).MustBeCursor("key");
        }
    }

    public sealed class Handler(Db db) : IQueryHandler<Query, Page<ApiKeySummary>>
    {
        private const string Sql = $"SELECT {ApiKeyRow.Columns} FROM api_keys /**where**/ ORDER BY id DESC LIMIT @fetch";

        public async ValueTask<Page<ApiKeySummary>> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = query.Page();
            var where = new SqlWhere().Add("kind = 'api_key'").Page(page);
            var rows = await db.QueryAsync<ApiKeyRow>(where.Into(Sql), where.Parameters, cancellationToken);
            return Pages.From(rows.Select(r => r.ToSummary()).ToList(), page, k => k.Id);
        }
    }
}
