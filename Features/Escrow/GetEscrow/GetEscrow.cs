using Mediator;
using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Features.Escrow.GetEscrow;

public static class GetEscrow
{
    public sealed record Query(string OrderId) : IQuery<EscrowResponse>;

    public sealed class Handler(Db db) : IQueryHandler<Query, EscrowResponse>
    {
        public async ValueTask<EscrowResponse> Handle(Query query, CancellationToken cancellationToken)
        {
            var order = await OrderStore.GetAsync(db, query.OrderId, cancellationToken);
            return await EscrowStore.ResponseAsync(db, await EscrowStore.GetByOrderAsync(db, order.Id, cancellationToken), cancellationToken);
        }
    }
}
