using Mediator;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Features.WebhookEndpoints.ListWebhookEndpoints;

public static class ListWebhookEndpoints
{
    public sealed record Query : IQuery<Result>;

    public sealed record Result(IReadOnlyList<WebhookEndpointResponse> Data);

    public sealed class Handler(Db db) : IQueryHandler<Query, Result>
    {
        private const string Sql = $"SELECT {WebhookEndpointRow.Columns} FROM webhook_endpoints WHERE deleted_at IS NULL ORDER BY id DESC";

        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken) =>
            new([.. (await db.QueryAsync<WebhookEndpointRow>(Sql, null, cancellationToken)).Select(e => e.ToResponse())]);
    }
}
