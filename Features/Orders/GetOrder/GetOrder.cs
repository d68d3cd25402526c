using Mediator;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Features.Orders.GetOrder;

public static class GetOrder
{
    public sealed record Query(string Id) : IQuery<OrderResponse>;

    public sealed class Handler(Db db) : IQueryHandler<Query, OrderResponse>
    {
        public async ValueTask<OrderResponse> Handle(Query query, CancellationToken cancellationToken) =>
            await OrderStore.ResponseAsync(db, await OrderStore.GetAsync(db, query.Id, cancellationToken), cancellationToken);
    }
}
