using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Paging;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.Users.ListUsers;

public static class ListUsers
{
    public sealed record Query(
        [property: FromQuery(Name = "type")] string? Type,
        [property: FromQuery(Name = "status")] string? Status,
        [property: FromQuery(Name = "external_user_id")] string? ExternalUserId,
        [property: FromQuery(Name = "limit")] string? Limit,
        [property: FromQuery(Name = "cursor")] string? Cursor) : IQuery<Page<UserResponse>>, IPagedQuery;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Type).MustBeOneOf(UserValues.Types);
            RuleFor(q => q.Status).MustBeOneOf(UserValues.Statuses);
            RuleFor(q => q.ExternalUserId).MustBePlainText(255);
            RuleFor(q => q.Limit).MustBeLimit();
            RuleFor(q => q.Cursor).MustBeCursor("usr");
        }
    }

    public sealed class Handler(Db db) : IQueryHandler<Query, Page<UserResponse>>
    {
        private const string Sql = $"SELECT {UserRow.Columns} FROM users /**where**/ ORDER BY id DESC LIMIT @fetch";

        public async ValueTask<Page<UserResponse>> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = query.Page();
            var where = new SqlWhere()
                .When(query.Type is not null, "type = @type", "type", query.Type)
                .When(query.Status is not null, "status = @status", "status", query.Status)
                .When(query.ExternalUserId is not null, "external_user_id = @externalUserId", "externalUserId", query.ExternalUserId)
                .Page(page);
            var rows = await db.QueryAsync<UserRow>(where.Into(Sql), where.Parameters, cancellationToken);
            return Pages.From(rows.Select(r => r.ToResponse()).ToList(), page, u => u.Id);
        }
    }
}
