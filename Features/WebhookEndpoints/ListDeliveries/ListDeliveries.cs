using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Paging;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.WebhookEndpoints.ListDeliveries;

/// <summary>The delivery log of one endpoint, newest first, each with every attempt.</summary>
public static class ListDeliveries
{
    public sealed record Query(string EndpointId, string? Limit, string? Cursor) : IQuery<Page<DeliveryResponse>>, IPagedQuery;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Limit).MustBeLimit();
            RuleFor(q => q.Cursor).MustBeCursor("whd");
        }
    }

    public sealed class Handler(Db db) : IQueryHandler<Query, Page<DeliveryResponse>>
    {
        private const string Sql = $"SELECT {DeliveryRow.Columns} FROM webhook_deliveries /**where**/ ORDER BY id DESC LIMIT @fetch";

        public async ValueTask<Page<DeliveryResponse>> Handle(Query query, CancellationToken cancellationToken)
        {
            var endpoint = await db.QuerySingleOrDefaultAsync<string>("SELECT id FROM webhook_endpoints WHERE id = @id", new { id = query.EndpointId }, cancellationToken)
                ?? throw Infrastructure.Errors.ApiErrors.NotFound(Infrastructure.Errors.ApiErrors.NotFoundCode, "Webhook endpoint", query.EndpointId);
            var page = query.Page();
            var where = new SqlWhere().When(true, "endpoint_id = @endpointId", "endpointId", endpoint).Page(page);
            var rows = await db.QueryAsync<DeliveryRow>(where.Into(Sql), where.Parameters, cancellationToken);
            return Pages.From([.. await WebhookStore.ResponsesAsync(db, rows, cancellationToken)], page, d => d.Id);
        }
    }
}
