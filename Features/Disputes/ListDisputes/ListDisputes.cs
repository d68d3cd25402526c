using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Paging;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.Disputes.ListDisputes;

public static class ListDisputes
{
    public sealed record Query(
        [property: FromQuery(Name = "status")] string? Status,
        [property: FromQuery(Name = "order_id")] string? OrderId,
        [property: FromQuery(Name = "limit")] string? Limit,
        [property: FromQuery(Name = "cursor")] string? Cursor) : IQuery<Page<DisputeResponse>>, IPagedQuery;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Status).MustBeOneOf(DisputeStates.All);
            RuleFor(q => q.OrderId).MustBeCursor("ord").WithMessage("must be an order id (ord_...)");
            RuleFor(q => q.Limit).MustBeLimit();
            RuleFor(q => q.Cursor).MustBeCursor("dsp");
        }
    }

    public sealed class Handler(Db db) : IQueryHandler<Query, Page<DisputeResponse>>
    {
        private const string Sql = $"SELECT {DisputeRow.Columns} FROM disputes /**where**/ ORDER BY id DESC LIMIT @fetch";

        public async ValueTask<Page<DisputeResponse>> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = query.Page();
            var where = new SqlWhere()
                .When(query.Status is not null, "status = @status", "status", query.Status)
                .When(query.OrderId is not null, "order_id = @orderId", "orderId", query.OrderId)
                .Page(page);
            var disputes = new List<DisputeResponse>();
            foreach (var row in await db.QueryAsync<DisputeRow>(where.Into(Sql), where.Parameters, cancellationToken))
            {
                disputes.Add(await DisputeStore.ResponseAsync(db, row, cancellationToken));
            }

            return Pages.From(disputes, page, d => d.Id);
        }
    }
}
