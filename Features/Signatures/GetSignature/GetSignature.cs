using Mediator;
using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Features.Signatures.GetSignature;

public static class GetSignature
{
    public sealed record Query(string Id) : IQuery<SignatureResponse>;

    public sealed class Handler(Db db) : IQueryHandler<Query, SignatureResponse>
    {
        public async ValueTask<SignatureResponse> Handle(Query query, CancellationToken cancellationToken) =>
            (await SignatureStore.GetAsync(db, query.Id, cancellationToken)).ToResponse();
    }
}
