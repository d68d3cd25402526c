using Mediator;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Features.Topups.GetTopup;

public static class GetTopup
{
    public sealed record Query(string Id) : IQuery<TopupResponse>;

    public sealed class Handler(Db db) : IQueryHandler<Query, TopupResponse>
    {
        public async ValueTask<TopupResponse> Handle(Query query, CancellationToken cancellationToken) =>
            (await TopupStore.Rows.GetAsync(db, query.Id, cancellationToken)).ToResponse();
    }
}
