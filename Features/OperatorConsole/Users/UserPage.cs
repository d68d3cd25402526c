using Mediator;
using OfferHub.Lite.Features.OperatorConsole.Shell;
using OfferHub.Lite.Features.Orders.ListOrders;
using OfferHub.Lite.Features.Topups.ListTopups;
using OfferHub.Lite.Features.Users.GetBalance;
using OfferHub.Lite.Features.Users.GetLedger;
using OfferHub.Lite.Features.Users.GetUser;
using OfferHub.Lite.Features.Withdrawals.ListWithdrawals;
using static OfferHub.Lite.Features.OperatorConsole.Shell.ConsoleFormat;

namespace OfferHub.Lite.Features.OperatorConsole.Users;

/// <summary>A user: who they are, their balances, their latest ledger entries, orders, top-ups and withdrawals.</summary>
public static class UserPage
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapConsole().MapGet("/users/{id}", async (string id, HttpContext http, ISender sender, CancellationToken ct) =>
        {
            var user = await sender.Send(new GetUser.Query(id), ct);
            var balance = await sender.Send(new GetBalance.Query(user.Id), ct);
            var ledger = await sender.Send(new GetLedger.Query(user.Id, "50", null), ct);
            var bought = await sender.Send(new ListOrders.Query(null, user.Id, null, null, null, null, "20", null), ct);
            var sold = await sender.Send(new ListOrders.Query(null, null, user.Id, null, null, null, "20", null), ct);
            var topups = await sender.Send(new ListTopups.Query(user.Id, null, "20", null), ct);
            var withdrawals = await sender.Send(new ListWithdrawals.Query(user.Id, null, "20", null), ct);

            var orders = bought.Data.Concat(sold.Data).OrderByDescending(o => o.CreatedAt).Select(o => Html.Of($"""
                <tr><td>{OrderLink(o.Id)}</td><td>{(o.BuyerId == user.Id ? "buyer" : "seller")}</td><td>{Status(o.Status)}</td><td class="num">{o.Amount} {o.Currency}</td><td>{o.Title ?? "–"}</td><td>{(o.DisputeId is { } d ? DisputeLink(d) : Html.Empty)}</td><td>{o.CreatedAt}</td></tr>
                """));
            var content = Html.Of($"""
                <div class="grid">
                  <section class="card" aria-labelledby="who-h"><h2 id="who-h">Who</h2>
                    <dl class="facts">
                      <dt>Type</dt><dd>{user.Type}</dd>
                      <dt>Status</dt><dd>{Status(user.Status)}</dd>
                      <dt>External id</dt><dd><code>{user.ExternalUserId}</code></dd>
                      <dt>E-mail</dt><dd>{user.Email ?? "–"}</dd>
                      <dt>Airtm</dt><dd>{user.AirtmEmail ?? "not linked"}</dd>
                      <dt>Stellar</dt><dd><code>{user.StellarAddress ?? "not linked"}</code></dd>
                      <dt>Created</dt><dd>{user.CreatedAt}</dd>
                    </dl>
                  </section>
                  <section class="card" aria-labelledby="balance-h"><h2 id="balance-h">Balance ({balance.Currency})</h2>
                    <dl class="facts">
                      <dt>Available</dt><dd data-balance="available"><strong>{balance.Available}</strong></dd>
                      <dt>Reserved</dt><dd>{balance.Reserved}</dd>
                      <dt>Pending withdrawal</dt><dd>{balance.PendingWithdrawal}</dd>
                      <dt>Total</dt><dd>{balance.Total}</dd>
                    </dl>
                  </section>
                </div>
                <section class="card" aria-labelledby="ledger-h"><h2 id="ledger-h">Ledger (latest 50 entries)</h2>
                  {Table("Ledger entries of this user, newest first", ["When", "Account", "Reason", "Reference", "#Amount", "#Balance after"], ledger.Data.Select(e => Html.Of($"""
                      <tr><td>{e.CreatedAt}</td><td><code>{e.Account}</code></td><td>{e.Reason}</td><td>{(e.ReferenceType == "order" ? OrderLink(e.ReferenceId) : Html.Of($"{e.ReferenceType} <code>{e.ReferenceId}</code>"))}</td><td class="num">{e.Amount}</td><td class="num">{e.BalanceAfter}</td></tr>
                      """)), "No ledger entries yet.")}
                </section>
                <section class="card" aria-labelledby="orders-h"><h2 id="orders-h">Orders</h2>
                  {Table("Latest orders as buyer or seller", ["Order", "As", "Status", "#Amount", "Title", "Dispute", "Created"], orders, "No orders.")}
                </section>
                <div class="grid">
                  <section class="card" aria-labelledby="topups-h"><h2 id="topups-h">Top-ups</h2>
                    {Table("Latest top-ups", ["Top-up", "Status", "#Amount", "Created"], topups.Data.Select(t => Html.Of($"""
                        <tr><td><code>{t.Id}</code><br><span class="muted">{t.ProviderRef.AirtmPayinId ?? ""}</span></td><td>{Status(t.Status)}</td><td class="num">{t.Amount}</td><td>{t.CreatedAt}</td></tr>
                        """)), "No top-ups.")}
                  </section>
                  <section class="card" aria-labelledby="withdrawals-h"><h2 id="withdrawals-h">Withdrawals</h2>
                    {Table("Latest withdrawals", ["Withdrawal", "Status", "#Amount", "Created"], withdrawals.Data.Select(w => Html.Of($"""
                        <tr><td><code>{w.Id}</code><br><span class="muted">{w.ProviderRef.AirtmPayoutId ?? ""}</span></td><td>{Status(w.Status)}</td><td class="num">{w.Amount}</td><td>{w.CreatedAt}</td></tr>
                        """)), "No withdrawals.")}
                  </section>
                </div>
                """);
            return ConsolePages.Page(http, "User " + user.Id, content);
        });
}
