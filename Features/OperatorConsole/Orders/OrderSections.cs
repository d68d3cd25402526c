using OfferHub.Lite.Features.OperatorConsole.Shell;
using OfferHub.Lite.Features.Users.GetBalance;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Primitives;
using static OfferHub.Lite.Features.OperatorConsole.Shell.ConsoleFormat;

namespace OfferHub.Lite.Features.OperatorConsole.Orders;

/// <summary>The parts of an order file as page sections, shared by the order and the dispute pages.</summary>
public static class OrderSections
{
    public static Html Summary(OrderFile.Result file)
    {
        var order = file.Order;
        return Html.Of($"""
            <section class="card" aria-labelledby="order-h"><h2 id="order-h">Order {OrderLink(order.Id)}</h2>
              <dl class="facts">
                <dt>Status</dt><dd>{Status(order.Status)}{(order.Resolution is { } r ? Html.Of($" ({r})") : Html.Empty)}</dd>
                <dt>Amount</dt><dd>{order.Amount} {order.Currency}</dd>
                <dt>Title</dt><dd>{order.Title ?? "–"}</dd>
                <dt>Buyer</dt><dd>{UserLink(order.BuyerId)}</dd>
                <dt>Seller</dt><dd>{UserLink(order.SellerId)}</dd>
                <dt>Client ref</dt><dd>{order.ClientOrderRef ?? "–"}</dd>
                <dt>Released / refunded</dt><dd>{order.ReleasedAmount} / {order.RefundedAmount}</dd>
                <dt>Created</dt><dd>{order.CreatedAt}</dd>
              </dl>
            </section>
            """);
    }

    public static Html Escrow(OrderFile.Result file)
    {
        var milestones = Table("Milestones of the order", ["Ref", "Title", "#Amount", "Status"],
            file.Order.Milestones.Select(m => Html.Of($"""<tr><td><code>{m.MilestoneRef}</code></td><td>{m.Title ?? "–"}</td><td class="num">{m.Amount}</td><td>{Status(m.Status)}</td></tr>""")),
            "No milestones: one release for the whole amount.");
        var escrow = file.Escrow is not { } e
            ? Html.Of($"""<p class="muted">No escrow has been created for this order yet.</p>""")
            : Html.Of($"""
                <dl class="facts">
                  <dt>Escrow</dt><dd><code>{e.EscrowId}</code> ({e.Type})</dd>
                  <dt>Status</dt><dd>{Status(e.Status)}</dd>
                  <dt>Contract</dt><dd><code>{e.TrustlessContractId ?? "–"}</code></dd>
                  <dt>Funded</dt><dd>{e.FundedAmount} of {e.Amount}</dd>
                  <dt>Released / refunded</dt><dd>{e.ReleasedAmount} / {e.RefundedAmount}</dd>
                  <dt>Still in escrow</dt><dd><strong>{Amount.Format(file.EscrowRemaining)}</strong></dd>
                  <dt>Waiting for a signature</dt><dd>{(e.PendingSignature is { } s ? Html.Of($"<code>{s.Id}</code> ({s.SignerRole})") : Html.Of($"no"))}</dd>
                </dl>
                """);
        return Html.Of($"""<section class="card" aria-labelledby="escrow-h"><h2 id="escrow-h">Escrow and milestones</h2>{escrow}{milestones}</section>""");
    }

    public static Html Balances(OrderFile.Result file) =>
        Html.Of($"""
            <section class="card" aria-labelledby="balances-h"><h2 id="balances-h">Balances now</h2>
              {Table("Balances of buyer and seller", ["Party", "User", "#Available", "#Reserved", "#Pending withdrawal"],
                  [Balance("Buyer", file.Buyer), Balance("Seller", file.Seller)], "")}
            </section>
            """);

    private static Html Balance(string party, GetBalance.Result balance) =>
        Html.Of($"""<tr><th scope="row">{party}</th><td>{UserLink(balance.UserId)}</td><td class="num" data-balance="{party.ToLowerInvariant()}-available">{balance.Available}</td><td class="num">{balance.Reserved}</td><td class="num">{balance.PendingWithdrawal}</td></tr>""");

    public static Html Postings(OrderFile.Result file)
    {
        var order = file.Order;
        string Party(string account) => account.StartsWith($"user:{order.BuyerId}:", StringComparison.Ordinal) ? "buyer" : "seller";
        var rows = file.Postings.Select(p => Html.Of($"""
            <tr><td>{Timestamps.FromMs(p.CreatedAt)}</td><td>{Party(p.Account)}</td><td><code>{p.Account}</code></td><td>{p.Reason}</td><td class="num">{Amount.Format(p.Amount)}</td><td class="num">{Amount.Format(p.BalanceAfter)}</td></tr>
            """));
        return Html.Of($"""
            <section class="card" aria-labelledby="postings-h"><h2 id="postings-h">Ledger postings of buyer and seller for this order</h2>
              {Table("Ledger entries on the buyer's and the seller's accounts that reference this order", ["When", "Party", "Account", "Reason", "#Amount", "#Balance after"], rows, "No postings for this order yet.")}
            </section>
            """);
    }

    /// <summary>State changes and events in one line of time.</summary>
    public static Html Timeline(OrderFile.Result file)
    {
        var changes = file.History.Data.Select(h => (h.CreatedAt, Html.Of($"""
            <li><span class="when">{h.CreatedAt} · {h.Actor.Type}{(h.Actor.Id is { } id ? Html.Of($" {id}") : Html.Empty)}</span>
              <strong>{h.Action}</strong>: {h.FromStatus ?? "–"} → {Status(h.ToStatus)}{(h.Reason is { } reason ? Html.Of($" — {reason}") : Html.Empty)}</li>
            """)));
        var events = file.Events.Select(e => (e.OccurredAt, Html.Of($"""
            <li><span class="when">{e.OccurredAt} · event</span><code>{e.Type}</code> on {e.ResourceType} <code>{e.ResourceId}</code></li>
            """)));
        var items = changes.Concat(events).OrderBy(i => i.Item1).Select(i => i.Item2).ToList();
        return Html.Of($"""
            <section class="card" aria-labelledby="timeline-h"><h2 id="timeline-h">History and events</h2>
              {(items.Count == 0 ? Html.Of($"""<p class="muted">Nothing has happened to this order yet.</p>""") : Html.Of($"""<ol class="timeline">{Html.Join(items)}</ol>"""))}
            </section>
            """);
    }
}
