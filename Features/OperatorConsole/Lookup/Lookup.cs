using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.OperatorConsole.Lookup;

/// <summary>Finds what an id, an external reference or an e-mail address names: users (by id,
/// external user id, e-mail or Airtm e-mail), orders (id, client order ref), top-ups (id, Airtm
/// pay-in), withdrawals (id, Airtm payout, destination e-mail) and disputes (id).</summary>
public static class Lookup
{
    public sealed record Query(string? Text) : IQuery<IReadOnlyList<Hit>>;

    public sealed record Hit(string Kind, string Id, string Status, string? Amount, string? UserId, string Matched);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.Text).NotEmpty().WithMessage("enter something to look for").MustBePlainText(255);
    }

    public sealed class Handler(Db db) : IQueryHandler<Query, IReadOnlyList<Hit>>
    {
        private const string Sql = """
            SELECT CAST('user' AS TEXT) AS kind, id, status, CAST(NULL AS BIGINT) AS amount, id AS user_id,
                   CAST(CASE WHEN id = @text THEN 'id' WHEN external_user_id = @text THEN 'external user id' WHEN LOWER(email) = @lower THEN 'e-mail' ELSE 'Airtm e-mail' END AS TEXT) AS matched
            FROM users WHERE id = @text OR external_user_id = @text OR LOWER(email) = @lower OR LOWER(airtm_email) = @lower
            UNION ALL
            SELECT CAST('order' AS TEXT), id, status, amount, buyer_id, CAST(CASE WHEN id = @text THEN 'id' ELSE 'client order ref' END AS TEXT)
            FROM orders WHERE id = @text OR client_order_ref = @text
            UNION ALL
            SELECT CAST('topup' AS TEXT), id, status, amount, user_id, CAST(CASE WHEN id = @text THEN 'id' ELSE 'Airtm pay-in id' END AS TEXT)
            FROM topups WHERE id = @text OR airtm_payin_id = @text
            UNION ALL
            SELECT CAST('withdrawal' AS TEXT), id, status, amount, user_id,
                   CAST(CASE WHEN id = @text THEN 'id' WHEN airtm_payout_id = @text THEN 'Airtm payout id' ELSE 'destination e-mail' END AS TEXT)
            FROM withdrawals WHERE id = @text OR airtm_payout_id = @text OR LOWER(destination_email) = @lower
            UNION ALL
            SELECT CAST('dispute' AS TEXT), d.id, d.status, o.amount, o.buyer_id, CAST('id' AS TEXT)
            FROM disputes d JOIN orders o ON o.id = d.order_id WHERE d.id = @text
            LIMIT 100
            """;

        public async ValueTask<IReadOnlyList<Hit>> Handle(Query query, CancellationToken cancellationToken)
        {
            var text = query.Text!.Trim();
            var rows = await db.QueryAsync<Row>(Sql, new { text, lower = text.ToLowerInvariant() }, cancellationToken);
            return rows.Select(r => new Hit(r.Kind, r.Id, r.Status, r.Amount is { } cents ? Infrastructure.Money.Amount.Format(cents) : null, r.UserId, r.Matched)).ToList();
        }
    }

    // A class, not a record: Dapper maps it by name even when an empty result reports no column types.
    private sealed class Row
    {
        public string Kind { get; set; } = string.Empty;

        public string Id { get; set; } = string.Empty;

        public string Status { get; set; } = string.Empty;

        public long? Amount { get; set; }

        public string? UserId { get; set; }

        public string Matched { get; set; } = string.Empty;
    }
}
