using Mediator;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Features.Disputes.GetDispute;

public static class GetDispute
{
    public sealed record Query(string Id) : IQuery<DisputeResponse>;

    public sealed class Handler(Db db) : IQueryHandler<Query, DisputeResponse>
    {
        public async ValueTask<DisputeResponse> Handle(Query query, CancellationToken cancellationToken) =>
            await DisputeStore.ResponseAsync(db, await DisputeStore.GetAsync(db, query.Id, cancellationToken), cancellationToken);
    }
}
