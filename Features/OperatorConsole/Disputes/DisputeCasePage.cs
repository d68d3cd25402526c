using Mediator;
using OfferHub.Lite.Features.Disputes;
using OfferHub.Lite.Features.Disputes.AssignDispute;
using OfferHub.Lite.Features.Disputes.CommentOnDispute;
using OfferHub.Lite.Features.Disputes.GetDispute;
using OfferHub.Lite.Features.Disputes.ListDisputeComments;
using OfferHub.Lite.Features.Disputes.ResolveDispute;
using OfferHub.Lite.Features.OperatorConsole.Orders;
using OfferHub.Lite.Features.OperatorConsole.Shell;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Idempotency;
using OfferHub.Lite.Infrastructure.Money;
using static OfferHub.Lite.Features.OperatorConsole.Shell.ConsoleFormat;

namespace OfferHub.Lite.Features.OperatorConsole.Disputes;

/// <summary>One dispute with its whole order file, and the three things support does with it:
/// assign, comment, resolve. Each action is the API's own command, under the API's idempotency
/// rules where the API has them (assign, resolve), and so audited the same way.</summary>
public static class DisputeCasePage
{
    private static readonly Dictionary<string, string> Notices = new()
    {
        ["assigned"] = "The dispute is assigned and under review.",
        ["commented"] = "Your comment is on the dispute.",
        ["resolved"] = "The decision is recorded; the escrow pays out as Trustless Work confirms it.",
    };

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapConsole();
        group.MapGet("/disputes/{id}", (string id, string? done, HttpContext http, ISender sender, CancellationToken ct) =>
            RenderAsync(http, sender, id, 200, done is not null ? Notices.GetValueOrDefault(done) : null, null, ct));

        group.MapPost("/disputes/{id}/assign", async (string id, HttpContext http, ISender sender, IdempotentExecution execution, CancellationToken ct) =>
        {
            var agent = http.Form().Value("agent_id");
            return await ActAsync(http, sender, id, "assigned", () => execution.SendIdempotentAsync(http.Form(), $"/api/v1/disputes/{id}/assign",
                new AssignDispute.Body(agent), IdempotencyPolicy.Forever, () => sender.Send(new AssignDispute.Command(id, agent), ct).AsTask(), ct), ct);
        });

        group.MapPost("/disputes/{id}/comment", (string id, HttpContext http, ISender sender, CancellationToken ct) =>
            ActAsync(http, sender, id, "commented", () => sender.Send(new CommentOnDispute.Command(id, http.Form().Value("message")), ct).AsTask(), ct));

        group.MapPost("/disputes/{id}/resolve", async (string id, HttpContext http, ISender sender, IdempotentExecution execution, CancellationToken ct) =>
        {
            var form = http.Form();
            var decision = form.Value("decision");
            var split = decision == "SPLIT";
            var body = new ResolveDispute.Body(decision, split ? AmountOf(form.Value("amount_to_seller")) : null, split ? AmountOf(form.Value("amount_to_buyer")) : null,
                string.IsNullOrEmpty(form.Value("note")) ? null : form.Value("note"));
            return await ActAsync(http, sender, id, "resolved", () => execution.SendIdempotentAsync(form, $"/api/v1/disputes/{id}/resolve", body, IdempotencyPolicy.Forever,
                () => sender.Send(new ResolveDispute.Command(id, body.Decision, body.AmountToSeller, body.AmountToBuyer, body.Note), ct).AsTask(), ct), ct);
        });
    }

    /// <summary>A typed amount is a string, as in the API's JSON; empty means not given.</summary>
    private static AmountText? AmountOf(string? text) => string.IsNullOrEmpty(text) ? null : new AmountText(text, IsString: true);

    private static async Task<IResult> ActAsync<T>(HttpContext http, ISender sender, string id, string done, Func<Task<T>> action, CancellationToken ct)
    {
        try
        {
            await action();
            return ConsolePages.SeeOther($"/console/disputes/{Uri.EscapeDataString(id)}?done={done}");
        }
        catch (ApiException refused) when (refused.Status is >= 400 and < 500)
        {
            return await RenderAsync(http, sender, id, refused.Status, null, ConsolePages.ErrorOf(refused), ct);
        }
    }

    private static async Task<IResult> RenderAsync(HttpContext http, ISender sender, string id, int status, string? notice, Html? error, CancellationToken ct)
    {
        var viewer = http.Viewer();
        var dispute = await sender.Send(new GetDispute.Query(id), ct);
        var file = await sender.Send(new OrderFile.Query(dispute.OrderId), ct);
        var comments = await sender.Send(new ListDisputeComments.Query(dispute.Id, "100", null), ct);
        var open = dispute.Status != DisputeStates.Resolved;
        var remaining = Amount.Format(file.EscrowRemaining);

        var resolution = dispute.Resolution is { } r
            ? Html.Of($"""<dt>Decision</dt><dd><strong>{r.Decision}</strong>: {r.AmountToSeller} to the seller, {r.AmountToBuyer} to the buyer, by {r.ResolvedBy ?? "–"} at {r.ResolvedAt}{(r.Note is { } note ? Html.Of($" — {note}") : Html.Empty)}</dd>""")
            : Html.Empty;
        var commentItems = Html.Join(comments.Data.OrderBy(c => c.CreatedAt).Select(c => Html.Of($"""<li><span class="when">{c.CreatedAt} · {c.Author}</span>{c.Message}</li>""")));
        var commentList = comments.Data.Count == 0
            ? Html.Of($"""<p class="muted">No comments yet.</p>""")
            : Html.Of($"""<ol class="timeline">{commentItems}</ol>""");

        var actions = !open ? Html.Empty : Html.Of($"""
            <section class="card" aria-labelledby="assign-h"><h2 id="assign-h">Assign</h2>
              <form method="post" action="/console/disputes/{dispute.Id}/assign" class="inline">
                {ConsolePages.FormToken(viewer)}{ConsolePages.IdempotencyKey()}
                <div><label for="agent_id">Agent</label><input id="agent_id" name="agent_id" type="text" required maxlength="100" value="{dispute.AssignedTo ?? viewer.DisplayName}"></div>
                <button type="submit">Assign</button>
              </form>
            </section>
            <section class="card" aria-labelledby="resolve-h"><h2 id="resolve-h">Resolve</h2>
              <form method="post" action="/console/disputes/{dispute.Id}/resolve" data-split-total="{remaining}" data-confirm="Resolve this dispute? The decision is final.">
                {ConsolePages.FormToken(viewer)}{ConsolePages.IdempotencyKey()}
                <p>The escrow holds <strong>{remaining} {file.Order.Currency}</strong>.</p>
                <fieldset><legend>Decision</legend>
                  <label class="choice"><input type="radio" name="decision" value="FULL_RELEASE" required> Full release: everything to the seller</label>
                  <label class="choice"><input type="radio" name="decision" value="FULL_REFUND"> Full refund: everything back to the buyer</label>
                  <label class="choice"><input type="radio" name="decision" value="SPLIT"> Split between them</label>
                </fieldset>
                <div class="inline">
                  <div><label for="amount_to_seller">To the seller (split)</label><input id="amount_to_seller" name="amount_to_seller" type="text" inputmode="decimal" placeholder="0.00" autocomplete="off" aria-describedby="split-check"></div>
                  <div><label for="amount_to_buyer">To the buyer (split)</label><input id="amount_to_buyer" name="amount_to_buyer" type="text" inputmode="decimal" placeholder="0.00" autocomplete="off" aria-describedby="split-check"></div>
                </div>
                <p id="split-check" class="split-check" data-split-check aria-live="polite"></p>
                <label for="note">Note (kept with the decision)</label><textarea id="note" name="note" maxlength="4000"></textarea>
                <button type="submit">Resolve</button>
              </form>
            </section>
            """);

        var content = Html.Of($"""
            <section class="card" aria-labelledby="dispute-h"><h2 id="dispute-h">Dispute</h2>
              <dl class="facts">
                <dt>Status</dt><dd>{Status(dispute.Status)}</dd>
                <dt>Opened by</dt><dd>{dispute.OpenedBy}, {dispute.CreatedAt}</dd>
                <dt>Reason</dt><dd>{dispute.Reason}</dd>
                <dt>Message</dt><dd>{dispute.Message ?? "–"}</dd>
                <dt>Evidence</dt><dd>{(dispute.Evidence.Count == 0 ? Html.Of($"none") : Html.Join(dispute.Evidence.Select(e => Html.Of($"<code>{e}</code> "))))}</dd>
                <dt>Assigned to</dt><dd>{dispute.AssignedTo ?? "nobody yet"}</dd>
                {resolution}
              </dl>
            </section>
            <div class="grid">{actions}</div>
            {OrderSections.Balances(file)}
            {OrderSections.Summary(file)}
            {OrderSections.Escrow(file)}
            {OrderSections.Postings(file)}
            {OrderSections.Timeline(file)}
            <section class="card" aria-labelledby="comments-h"><h2 id="comments-h">Comments</h2>
              {commentList}
              {Html.When(open, Html.Of($"""
                <form method="post" action="/console/disputes/{dispute.Id}/comment">
                  {ConsolePages.FormToken(viewer)}
                  <label for="message">New comment</label><textarea id="message" name="message" required maxlength="4000"></textarea>
                  <button type="submit">Add comment</button>
                </form>
                """))}
            </section>
            """);
        return ConsolePages.Page(http, "Dispute " + dispute.Id, content, status, notice, error);
    }
}
