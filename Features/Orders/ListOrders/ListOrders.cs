using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Paging;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Orders.ListOrders;

public static class ListOrders
{
    public sealed record Query(
        [property: FromQuery(Name = "status")] string? Status,
        [property: FromQuery(Name = "buyer_id")] string? BuyerId,
        [property: FromQuery(Name = "seller_id")] string? SellerId,
        [property: FromQuery(Name = "user_id")] string? UserId,
        [property: FromQuery(Name = "created_after")] string? CreatedAfter,
        [property: FromQuery(Name = "created_before")] string? CreatedBefore,
        [property: FromQuery(Name = "limit")] string? Limit,
        [property: FromQuery(Name = "cursor")] string? Cursor) : IQuery<Page<OrderResponse>>, IPagedQuery;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Status).MustBeOneOf(OrderStates.All);
            RuleFor(q => q.BuyerId).MustBeCursor("usr").WithMessage("must be a user id (usr_...)");
            RuleFor(q => q.SellerId).MustBeCursor("usr").WithMessage("must be a user id (usr_...)");
            RuleFor(q => q.UserId).MustBeCursor("usr").WithMessage("must be a user id (usr_...)");
            RuleFor(q => q.CreatedAfter).MustBeTimestamp().WithMessage("must be an ISO 8601 timestamp with a time zone");
            RuleFor(q => q.CreatedBefore).MustBeTimestamp().WithMessage("must be an ISO 8601 timestamp with a time zone");
            RuleFor(q => q.Limit).MustBeLimit();
            RuleFor(q => q.Cursor).MustBeCursor("ord");
        }
    }

    public sealed class Handler(Db db) : IQueryHandler<Query, Page<OrderResponse>>
    {
        private const string Sql = $"SELECT {OrderRow.Columns} FROM orders /**where**/ ORDER BY id DESC LIMIT @fetch";

        public async ValueTask<Page<OrderResponse>> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = query.Page();
            long after = 0, before = 0;
            var where = new SqlWhere()
                .When(query.Status is not null, "status = @status", "status", query.Status)
                .When(query.BuyerId is not null, "buyer_id = @buyerId", "buyerId", query.BuyerId)
                .When(query.SellerId is not null, "seller_id = @sellerId", "sellerId", query.SellerId)
                .When(query.UserId is not null, "(buyer_id = @userId OR seller_id = @userId)", "userId", query.UserId)
                .When(Timestamps.TryParse(query.CreatedAfter, out after), "created_at > @after", "after", after)
                .When(Timestamps.TryParse(query.CreatedBefore, out before), "created_at < @before", "before", before)
                .Page(page);
            var rows = await db.QueryAsync<OrderRow>(where.Into(Sql), where.Parameters, cancellationToken);
            var orders = await OrderStore.ResponsesAsync(db, rows, cancellationToken);
            return Pages.From(orders, page, o => o.Id);
        }
    }
}
