using Mediator;
using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Features.Escrow.GetEscrow;
using OfferHub.Lite.Features.Events;
using OfferHub.Lite.Features.Events.ListEvents;
using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Features.Orders.GetOrder;
using OfferHub.Lite.Features.Orders.GetOrderHistory;
using OfferHub.Lite.Features.Users.GetBalance;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Features.OperatorConsole.Orders;

/// <summary>Everything support needs to judge an order: the order, its escrow and milestones, its
/// full history, its events (and its dispute's), and the ledger postings on the buyer's and the
/// seller's accounts for it, with both parties' balances now. Read through the API's own queries.</summary>
public static class OrderFile
{
    public sealed record Query(string OrderId) : IQuery<Result>;

    public sealed record Posting(string TransferId, string Account, long Amount, long BalanceAfter, string Reason, string Leg, long CreatedAt);

    public sealed record Result(
        OrderResponse Order,
        EscrowResponse? Escrow,
        long EscrowRemaining,
        GetOrderHistory.Result History,
        IReadOnlyList<EventResponse> Events,
        IReadOnlyList<Posting> Postings,
        GetBalance.Result Buyer,
        GetBalance.Result Seller);

    public sealed class Handler(ISender sender, Db db) : IQueryHandler<Query, Result>
    {
        private const string PostingsSql = """
            SELECT t.id AS transfer_id, e.account, e.amount, e.balance_after, t.reason, t.leg, e.created_at
            FROM ledger_transfers t JOIN ledger_entries e ON e.transfer_id = t.id
            WHERE t.reference_type = 'order' AND t.reference_id = @orderId AND (e.account LIKE @buyer OR e.account LIKE @seller)
            ORDER BY e.created_at, e.id
            """;

        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var order = await sender.Send(new GetOrder.Query(query.OrderId), cancellationToken);
            EscrowResponse? escrow = null;
            try
            {
                escrow = await sender.Send(new GetEscrow.Query(order.Id), cancellationToken);
            }
            catch (ApiException missing) when (missing.Status == 404)
            {
                // No escrow yet: the order has not reached that step.
            }

            var remaining = (await EscrowStore.FindByOrderAsync(db, order.Id, cancellationToken))?.Remaining ?? 0;
            var history = await sender.Send(new GetOrderHistory.Query(order.Id), cancellationToken);
            var events = new List<EventResponse>();
            events.AddRange((await sender.Send(new ListEvents.Query(null, null, "order", order.Id, "100", null), cancellationToken)).Data);
            if (order.DisputeId is { } disputeId)
            {
                events.AddRange((await sender.Send(new ListEvents.Query(null, null, "dispute", disputeId, "100", null), cancellationToken)).Data);
            }

            var postings = await db.QueryAsync<Posting>(PostingsSql, new { orderId = order.Id, buyer = $"user:{order.BuyerId}:%", seller = $"user:{order.SellerId}:%" }, cancellationToken);
            return new Result(order, escrow, remaining, history, events.OrderBy(e => e.OccurredAt).ThenBy(e => e.Id, StringComparer.Ordinal).ToList(), postings,
                await sender.Send(new GetBalance.Query(order.BuyerId), cancellationToken),
                await sender.Send(new GetBalance.Query(order.SellerId), cancellationToken));
        }
    }
}
