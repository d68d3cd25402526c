using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Orders.GetOrderHistory;

public static class GetOrderHistory
{
    public sealed record Query(string Id) : IQuery<Result>;

    /// <summary>Every transition, oldest first; bounded by the state machine, so never paged.</summary>
    public sealed record Result(string OrderId, IReadOnlyList<Entry> Data);

    public sealed record Entry(string Id, string? FromStatus, string ToStatus, string Action, Actor Actor, string? Reason, string? RequestId, DateTimeOffset CreatedAt);

    public sealed class Handler(Db db) : IQueryHandler<Query, Result>
    {
        private const string Sql = """
            SELECT id, from_status, to_status, action, actor_type, actor_id, reason, request_id, created_at
            FROM order_history WHERE order_id = @id ORDER BY id
            """;

        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            await OrderStore.GetAsync(db, query.Id, cancellationToken);
            var rows = await db.QueryAsync<Row>(Sql, new { id = query.Id }, cancellationToken);
            return new Result(query.Id, rows.Select(r => new Entry(
                r.Id, r.FromStatus, r.ToStatus, r.Action, new Actor(r.ActorType, r.ActorId), r.Reason, r.RequestId, Timestamps.FromMs(r.CreatedAt))).ToList());
        }
    }

    private sealed record Row(string Id, string? FromStatus, string ToStatus, string Action, string ActorType, string? ActorId, string? Reason, string? RequestId, long CreatedAt);
}
