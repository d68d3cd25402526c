using FluentValidation;
using Mediator;
using OfferHub.Lite.Features.Disputes;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.OperatorConsole.Disputes;

/// <summary>The support queue: disputes oldest first (the longest wait is handled first), by
/// status (open and under review unless asked), assignee and reason.</summary>
public static class DisputeQueue
{
    public const string Active = "ACTIVE";
    public const string Unassigned = "unassigned";

    public sealed record Query(string? Status, string? AssignedTo, string? Reason) : IQuery<IReadOnlyList<Item>>;

    public sealed record Item(string Id, string OrderId, string Status, string Reason, string OpenedBy, string? AssignedTo, long Amount, string Currency, long CreatedAt);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Status).MustBeOneOf([Active, .. DisputeStates.All]);
            RuleFor(q => q.AssignedTo).MustBePlainText(100);
            RuleFor(q => q.Reason).MustBePlainText(100);
        }
    }

    public sealed class Handler(Db db) : IQueryHandler<Query, IReadOnlyList<Item>>
    {
        private const string Sql = """
            SELECT d.id, d.order_id, d.status, d.reason, d.opened_by, d.assigned_to, o.amount, o.currency, d.created_at
            FROM disputes d JOIN orders o ON o.id = d.order_id
            /**where**/
            ORDER BY d.created_at, d.id LIMIT 200
            """;

        public async ValueTask<IReadOnlyList<Item>> Handle(Query query, CancellationToken cancellationToken)
        {
            var status = string.IsNullOrEmpty(query.Status) ? Active : query.Status;
            var where = new SqlWhere()
                .When(status != Active, "d.status = @status", "status", status)
                .When(!string.IsNullOrEmpty(query.AssignedTo) && query.AssignedTo != Unassigned, "d.assigned_to = @assignedTo", "assignedTo", query.AssignedTo);
            if (status == Active)
            {
                where.Add("d.status IN ('OPEN', 'UNDER_REVIEW')");
            }

            if (query.AssignedTo == Unassigned)
            {
                where.Add("d.assigned_to IS NULL");
            }

            where
                .When(!string.IsNullOrEmpty(query.Reason), "LOWER(d.reason) LIKE @reason", "reason", "%" + query.Reason?.ToLowerInvariant() + "%");
            return await db.QueryAsync<Item>(where.Into(Sql), where.Parameters, cancellationToken);
        }
    }
}
