using Mediator;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Features.Withdrawals.GetWithdrawal;

public static class GetWithdrawal
{
    public sealed record Query(string Id) : IQuery<WithdrawalResponse>;

    public sealed class Handler(Db db) : IQueryHandler<Query, WithdrawalResponse>
    {
        public async ValueTask<WithdrawalResponse> Handle(Query query, CancellationToken cancellationToken) =>
            (await WithdrawalStore.Rows.GetAsync(db, query.Id, cancellationToken)).ToResponse();
    }
}
