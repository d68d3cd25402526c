using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Ledger;
using OfferHub.Lite.Infrastructure.Paging;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Users.GetLedger;

public static class GetLedger
{
    public sealed record Query(
        string UserId,
        [property: FromQuery(Name = "limit")] string? Limit,
        [property: FromQuery(Name = "cursor")] string? Cursor) : IQuery<Page<Entry>>, IPagedQuery;

    public sealed record Entry(string Id, string Account, string Amount, string BalanceAfter, string Reason, string ReferenceType, string ReferenceId, DateTimeOffset CreatedAt);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Limit).MustBeLimit();
            RuleFor(q => q.Cursor).MustBeCursor("led");
        }
    }

    public sealed class Handler(Db db) : IQueryHandler<Query, Page<Entry>>
    {
        private const string Sql = """
            SELECT e.id, e.account, e.amount, e.balance_after, t.reason, t.reference_type, t.reference_id, e.created_at
            FROM ledger_entries e JOIN ledger_transfers t ON t.id = e.transfer_id
            /**where**/ ORDER BY e.id DESC LIMIT @fetch
            """;

        public async ValueTask<Page<Entry>> Handle(Query query, CancellationToken cancellationToken)
        {
            await UserStore.RequireAsync(db, query.UserId, cancellationToken);
            var page = query.Page();
            var where = new SqlWhere()
                .When(true, "e.account IN @accounts", "accounts", Accounts.OfUser(query.UserId))
                .Page(page, "e.id");
            var rows = await db.QueryAsync<Row>(where.Into(Sql), where.Parameters, cancellationToken);
            return Pages.From(rows.Select(r => r.ToEntry(query.UserId)).ToList(), page, e => e.Id);
        }
    }

    private sealed record Row(string Id, string Account, long Amount, long BalanceAfter, string Reason, string ReferenceType, string ReferenceId, long CreatedAt)
    {
        // Accounts are shown by their short name; the user is already in the path.
        public Entry ToEntry(string userId) => new(
            Id,
            Account.Replace($"user:{userId}:", string.Empty, StringComparison.Ordinal),
            OfferHub.Lite.Infrastructure.Money.Amount.Format(Amount),
            OfferHub.Lite.Infrastructure.Money.Amount.Format(BalanceAfter),
            Reason,
            ReferenceType,
            ReferenceId,
            Timestamps.FromMs(CreatedAt));
    }
}
