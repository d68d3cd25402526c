using Mediator;
using Microsoft.AspNetCore.Mvc;
using OfferHub.Lite.Features.AirtmRails;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Paging;

namespace OfferHub.Lite.Features.Topups.ListTopups;

public static class ListTopups
{
    public sealed record Query(
        [property: FromQuery(Name = "user_id")] string? UserId,
        [property: FromQuery(Name = "status")] string? Status,
        [property: FromQuery(Name = "limit")] string? Limit,
        [property: FromQuery(Name = "cursor")] string? Cursor) : IQuery<Page<TopupResponse>>, IRailListQuery;

    public sealed class Validator() : RailListValidator<Query>(TopupStates.All, "topup");

    public sealed class Handler(Db db) : IQueryHandler<Query, Page<TopupResponse>>
    {
        public async ValueTask<Page<TopupResponse>> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = query.Page();
            var rows = await TopupStore.Rows.ListAsync(db, page, query.UserId, query.Status, cancellationToken);
            return Pages.From(rows.Select(r => r.ToResponse()).ToList(), page, r => r.Id);
        }
    }
}
