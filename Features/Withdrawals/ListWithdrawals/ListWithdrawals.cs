using Mediator;
using Microsoft.AspNetCore.Mvc;
using OfferHub.Lite.Features.AirtmRails;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Paging;

namespace OfferHub.Lite.Features.Withdrawals.ListWithdrawals;

public static class ListWithdrawals
{
    public sealed record Query(
        [property: FromQuery(Name = "user_id")] string? UserId,
        [property: FromQuery(Name = "status")] string? Status,
        [property: FromQuery(Name = "limit")] string? Limit,
        [property: FromQuery(Name = "cursor")] string? Cursor) : IQuery<Page<WithdrawalResponse>>, IRailListQuery;

    public sealed class Validator() : RailListValidator<Query>(WithdrawalStates.All, "wd");

    public sealed class Handler(Db db) : IQueryHandler<Query, Page<WithdrawalResponse>>
    {
        public async ValueTask<Page<WithdrawalResponse>> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = query.Page();
            var rows = await WithdrawalStore.Rows.ListAsync(db, page, query.UserId, query.Status, cancellationToken);
            return Pages.From(rows.Select(r => r.ToResponse()).ToList(), page, r => r.Id);
        }
    }
}
