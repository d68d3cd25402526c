using System.Text;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Idempotency;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.OperatorConsole.Shell;

/// <summary>Small pieces that several console pages draw the same way.</summary>
public static class ConsoleFormat
{
    private static readonly string[] Good = ["COMPLETED", "CLOSED", "RESOLVED", "RELEASED", "CONFIRMED", "DELIVERED", "SUCCEEDED", "active", "ok", "healthy", "TOPUP_COMPLETED", "WITHDRAWAL_COMPLETED"];
    private static readonly string[] Bad = ["FAILED", "REFUNDED", "DISPUTED", "CANCELED", "CANCELLED", "EXPIRED", "revoked", "disabled", "unhealthy", "unreachable", "mismatch", "error"];

    /// <summary>A status as a coloured label; the word itself carries the meaning, the colour only helps.</summary>
    public static Html Status(string? status)
    {
        var text = status ?? "–";
        var kind = Good.Any(g => text.EndsWith(g, StringComparison.Ordinal)) ? "good"
            : Bad.Any(b => text.EndsWith(b, StringComparison.Ordinal)) ? "bad"
            : "wait";
        return Html.Of($"""<span class="status {kind}">{text}</span>""");
    }

    public static Html Link(string href, string? text) => Html.Of($"""<a href="{href}">{text}</a>""");

    public static Html UserLink(string userId) => Link("/console/users/" + Uri.EscapeDataString(userId), userId);

    public static Html OrderLink(string orderId) => Link("/console/orders/" + Uri.EscapeDataString(orderId), orderId);

    public static Html DisputeLink(string disputeId) => Link("/console/disputes/" + Uri.EscapeDataString(disputeId), disputeId);

    /// <summary>A table in a horizontally scrolling box (phone width), or a line saying there is nothing.</summary>
    public static Html Table(string caption, string[] headings, IEnumerable<Html> rows, string empty)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return Html.Of($"""<p class="muted">{empty}</p>""");
        }

        var head = Html.Join(headings.Select(h => h.StartsWith('#')
            ? Html.Of($"""<th scope="col" class="num">{h[1..]}</th>""")
            : Html.Of($"""<th scope="col">{h}</th>""")));
        return Html.Of($"""
            <div class="table-wrap"><table>
              <caption class="muted">{caption}</caption>
              <thead><tr>{head}</tr></thead>
              <tbody>{Html.Join(list)}</tbody>
            </table></div>
            """);
    }

    /// <summary>Runs an action through the same idempotency rows as its API route: the form's
    /// one-use key, owned by the signed-in key, and the hash of the API path and JSON body the
    /// API would have received. A second submission of the same form replays the first result.</summary>
    public static async Task<IdempotentOutcome> SendIdempotentAsync<TResult>(
        this IdempotentExecution execution, ConsoleForm form, string apiPath, object apiBody, IdempotencyPolicy policy, Func<Task<TResult>> send, CancellationToken ct)
    {
        var key = form.Value("idempotency_key");
        if (!IdempotentExecution.IsValidKey(key))
        {
            throw ApiErrors.Validation(("idempotency_key", "is missing: reload the page and submit the form again"));
        }

        var hash = IdempotentExecution.RequestHash(HttpMethods.Post, apiPath, ApiJson.SerializeToUtf8Bytes(apiBody));
        return await execution.RunAsync(key!, hash, policy, async () => (200, Encoding.UTF8.GetString(ApiJson.SerializeToUtf8Bytes(await send()))), ct);
    }
}
