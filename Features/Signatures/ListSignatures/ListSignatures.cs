using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Paging;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.Signatures.ListSignatures;

public static class ListSignatures
{
    public sealed record Query(
        [property: FromQuery(Name = "order_id")] string? OrderId,
        [property: FromQuery(Name = "status")] string? Status,
        [property: FromQuery(Name = "user_id")] string? UserId,
        [property: FromQuery(Name = "limit")] string? Limit,
        [property: FromQuery(Name = "cursor")] string? Cursor) : IQuery<Page<SignatureResponse>>, IPagedQuery;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.OrderId).MustBeCursor("ord").WithMessage("must be an order id (ord_...)");
            RuleFor(q => q.Status).MustBeOneOf(SignatureStates.All);
            RuleFor(q => q.UserId).MustBeCursor("usr").WithMessage("must be a user id (usr_...)");
            RuleFor(q => q.Limit).MustBeLimit();
            RuleFor(q => q.Cursor).MustBeCursor("sig");
        }
    }

    public sealed class Handler(Db db) : IQueryHandler<Query, Page<SignatureResponse>>
    {
        private const string Sql = $"SELECT {SignatureRow.Columns} FROM signatures /**where**/ ORDER BY id DESC LIMIT @fetch";

        // The requests the user's own key must sign (see SignatureStore.SignerUsersSql).
        private const string SignerIs = """
            EXISTS (SELECT 1 FROM orders o JOIN users u ON (u.id = o.buyer_id OR u.id = o.seller_id) AND u.stellar_address = signatures.signer_address
                    WHERE o.id = signatures.order_id AND u.id = @userId)
            """;

        public async ValueTask<Page<SignatureResponse>> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = query.Page();
            var where = new SqlWhere()
                .When(query.OrderId is not null, "order_id = @orderId", "orderId", query.OrderId)
                .When(query.Status is not null, "status = @status", "status", query.Status)
                .When(query.UserId is not null, SignerIs, "userId", query.UserId)
                .Page(page);
            var rows = await db.QueryAsync<SignatureRow>(where.Into(Sql), where.Parameters, cancellationToken);
            return Pages.From(rows.Select(r => r.ToResponse()).ToList(), page, s => s.Id);
        }
    }
}
