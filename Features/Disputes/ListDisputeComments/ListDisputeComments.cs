using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Paging;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Disputes.ListDisputeComments;

public static class ListDisputeComments
{
    public sealed record Query(string DisputeId, string? Limit, string? Cursor) : IQuery<Page<CommentResponse>>, IPagedQuery;

    public sealed record CommentResponse(string Id, string DisputeId, string Author, string Message, DateTimeOffset CreatedAt);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Limit).MustBeLimit();
            RuleFor(q => q.Cursor).MustBeCursor("cmt");
        }
    }

    public sealed class Handler(Db db) : IQueryHandler<Query, Page<CommentResponse>>
    {
        private const string Sql = "SELECT id, dispute_id, author, message, created_at FROM dispute_comments /**where**/ ORDER BY id DESC LIMIT @fetch";

        public async ValueTask<Page<CommentResponse>> Handle(Query query, CancellationToken cancellationToken)
        {
            var dispute = await DisputeStore.GetAsync(db, query.DisputeId, cancellationToken);
            var page = query.Page();
            var where = new SqlWhere().When(true, "dispute_id = @disputeId", "disputeId", dispute.Id).Page(page);
            var rows = await db.QueryAsync<CommentRow>(where.Into(Sql), where.Parameters, cancellationToken);
            return Pages.From(rows.Select(r => new CommentResponse(r.Id, r.DisputeId, r.Author, r.Message, Timestamps.FromMs(r.CreatedAt))).ToList(), page, c => c.Id);
        }
    }

    private sealed record CommentRow(string Id, string DisputeId, string Author, string Message, long CreatedAt);
}
