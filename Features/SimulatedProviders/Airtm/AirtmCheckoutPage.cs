using System.Globalization;
using System.Net;
using OfferHub.Lite.Infrastructure.Providers.Airtm;

namespace OfferHub.Lite.Features.SimulatedProviders.Airtm;

/// <summary>The simulated Airtm checkout a payer is sent to (https://&lt;API host&gt;/payin/:id in
/// Airtm's document). While the pay-in is CREATED it offers Confirm and Cancel; afterwards it only
/// shows the final state, so a second press (or the back button) never meets raw JSON. After a
/// decision the payer goes to confirmationUri or cancelUri with the pay-in's code as a query
/// parameter, as the document says, or to this simulator's own return page when that address does
/// not resolve (a marketplace that is not running, example.com-style placeholders).</summary>
public static class AirtmCheckoutPage
{
    private const string Html = "text/html; charset=utf-8";

    public static IResult Show(AirtmSimulator sim, string id) =>
        sim.GetPayin(id) is { } payin ? Page(payin, payin.Status == "CREATED" ? Form(sim, payin) : Final(payin), 200) : Unknown();

    /// <summary>Applies the payer's decision once; a pay-in already decided shows its final state.</summary>
    public static async Task<IResult> DecideAsync(AirtmSimulator sim, string id, Func<Payin, Payin> decide, CancellationToken ct)
    {
        if (sim.GetPayin(id) is not { } payin)
        {
            return Unknown();
        }

        if (payin.Status != "CREATED")
        {
            return Page(payin, Final(payin), 409);
        }

        try
        {
            payin = decide(payin);
        }
        catch (AirtmSimulator.SimulatorException refused)
        {
            return Page(payin, $"<p class=\"error\">{Encode(refused.Message)}</p>" + Form(sim, payin), refused.Status);
        }

        var back = ReturnUri(payin);
        return Results.Redirect(await ResolvesAsync(back, ct) ? back : $"{AirtmSimulatorEndpoints.Root}/payin/{Uri.EscapeDataString(payin.Id)}/return");
    }

    /// <summary>The simulator's own landing page for a marketplace address that does not resolve.</summary>
    public static IResult Returned(AirtmSimulator sim, string id) =>
        sim.GetPayin(id) is { } payin ? Page(payin, Final(payin), 200) : Unknown();

    /// <summary>confirmationUri or cancelUri with ?code= (or &amp;code=) appended.</summary>
    public static string ReturnUri(Payin payin)
    {
        var target = payin.Status == "CONFIRMED" ? payin.ConfirmationUri : payin.CancelUri;
        var separator = target.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{target}{separator}code={Uri.EscapeDataString(payin.Code)}";
    }

    private static async Task<bool> ResolvesAsync(string address, CancellationToken ct)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (uri.IsLoopback || uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return true;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            return (await Dns.GetHostAddressesAsync(uri.DnsSafeHost, deadline.Token)).Length > 0;
        }
        catch (Exception unresolved) when (unresolved is System.Net.Sockets.SocketException or OperationCanceledException or ArgumentException)
        {
            return false;
        }
    }

    private static string Form(AirtmSimulator sim, Payin payin)
    {
        var action = $"{AirtmSimulatorEndpoints.Root}/payin/{Encode(payin.Id)}";
        var options = string.Concat(sim.ActiveUsers().Select(u => $"<option value=\"{Encode(u.Email)}\">{Encode(u.Email)}</option>"));
        return $"""
            <form id="confirm" method="post" action="{action}/confirm">
              <label for="email">Pay with the Airtm account</label>
              <select id="email" name="email">{options}</select>
              <button type="submit" class="primary">Confirm payment</button>
            </form>
            <form id="cancel" method="post" action="{action}/cancel">
              <button type="submit" class="secondary">Cancel</button>
            </form>
            """;
    }

    private static string Final(Payin payin)
    {
        var (headline, tone) = payin.Status switch
        {
            "CONFIRMED" => ("Payment confirmed", "ok"),
            "CANCELED" => ("Payment canceled", "muted"),
            "FAILED" => ("Payment failed", "error"),
            _ => ($"Payment {payin.Status.ToLowerInvariant()}", "muted"),
        };
        var back = payin.Status is "CONFIRMED" or "CANCELED" or "FAILED"
            ? $"<p><a id=\"return\" href=\"{Encode(ReturnUri(payin))}\">Return to the marketplace</a></p><p class=\"hint\">This payment is complete; this page can be closed.</p>"
            : string.Empty;
        return $"<p id=\"final\" class=\"{tone}\">{Encode(headline)}</p>{back}";
    }

    private static IResult Page(Payin payin, string body, int status)
    {
        var amount = Encode(payin.Amount.ToString("0.00", CultureInfo.InvariantCulture));
        var items = string.Concat(payin.Items.Select(i =>
            $"<li><span>{Encode(i.Description)} × {Encode(i.Quantity.ToString("0.##", CultureInfo.InvariantCulture))}</span><span>{Encode(i.Amount.ToString("0.00", CultureInfo.InvariantCulture))} USD</span></li>"));
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Airtm checkout (simulated)</title>
            <style>
              body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f2f4f8; color: #1c2333; }
              header { background: #1a1f36; color: #fff; padding: 14px 24px; font-weight: 600; letter-spacing: .02em; }
              header small { font-weight: 400; opacity: .7; margin-left: 8px; }
              main { max-width: 420px; margin: 32px auto; background: #fff; border-radius: 12px; box-shadow: 0 4px 24px rgba(26,31,54,.12); padding: 28px; }
              h1 { font-size: 2rem; margin: 0 0 4px; }
              .description { color: #5b6478; margin: 0 0 16px; }
              ul { list-style: none; padding: 0; margin: 0 0 20px; border-top: 1px solid #e4e7ee; }
              li { display: flex; justify-content: space-between; padding: 8px 0; border-bottom: 1px solid #e4e7ee; font-size: .95rem; }
              label { display: block; font-size: .85rem; color: #5b6478; margin-bottom: 6px; }
              select { width: 100%; padding: 10px; border: 1px solid #c9cfdb; border-radius: 8px; font-size: 1rem; margin-bottom: 14px; }
              button { width: 100%; padding: 12px; border-radius: 8px; font-size: 1rem; cursor: pointer; border: 0; }
              .primary { background: #3e6bf5; color: #fff; font-weight: 600; }
              .secondary { background: transparent; color: #5b6478; margin-top: 8px; }
              #final { font-size: 1.25rem; font-weight: 600; }
              .ok { color: #177a4b; } .muted { color: #5b6478; } .error { color: #b3261e; }
              .hint { color: #5b6478; font-size: .85rem; }
              a { color: #3e6bf5; }
            </style></head>
            <body>
            <header>Airtm <small>simulated checkout</small></header>
            <main>
            <h1>{{amount}} USD</h1>
            <p class="description">{{Encode(payin.Description)}}</p>
            <ul>{{items}}</ul>
            <p class="hint">Status: <strong id="status">{{Encode(payin.Status)}}</strong></p>
            {{body}}
            </main>
            </body></html>
            """;
        return Results.Content(html, Html, statusCode: status);
    }

    private static IResult Unknown() =>
        Results.Content("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Airtm checkout (simulated)</title></head><body><p>This payment does not exist.</p></body></html>", Html, statusCode: 404);

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
