using Mediator;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Ledger;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Users.GetBalance;

public static class GetBalance
{
    public sealed record Query(string UserId) : IQuery<Result>;

    public sealed record Result(string UserId, string Currency, string Available, string Reserved, string PendingWithdrawal, string Total, DateTimeOffset? UpdatedAt);

    public sealed class Handler(Db db, Ledger ledger, OfferHubOptions options) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            await UserStore.RequireAsync(db, query.UserId, cancellationToken);
            var balance = await ledger.BalanceAsync(query.UserId, cancellationToken);
            return new Result(
                query.UserId,
                options.Currencies[0],
                Amount.Format(balance.Available),
                Amount.Format(balance.Reserved),
                Amount.Format(balance.PendingWithdrawal),
                Amount.Format(balance.Total),
                balance.UpdatedAtMs == 0 ? null : Timestamps.FromMs(balance.UpdatedAtMs));
        }
    }
}
