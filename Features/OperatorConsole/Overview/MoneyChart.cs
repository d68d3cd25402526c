using System.Globalization;
using OfferHub.Lite.Features.OperatorConsole.Shell;
using OfferHub.Lite.Infrastructure.Money;

namespace OfferHub.Lite.Features.OperatorConsole.Overview;

/// <summary>The money-by-state picture as inline SVG (no script, no library), with the same numbers
/// as a table for those who would rather read them.</summary>
public static class MoneyChart
{
    private const int Width = 720;
    private const int Height = 260;
    private const int Left = 84;
    private const int Right = 16;
    private const int Top = 14;
    private const int Bottom = 34;
    private static readonly string[] Colors = ["#2563eb", "#d97706", "#16a34a", "#dc2626", "#7c3aed"];

    // Series that coincide (all top-ups still in escrow) stay visible: wider lines underneath, dashes on top.
    private static readonly string[] Widths = ["6", "3.5", "2.5", "2", "2"];
    private static readonly string[] Dashes = ["none", "none", "8 4", "4 3", "2 3"];

    public static Html Render(MoneyByDay.Result data)
    {
        var days = data.Days;
        var max = NiceCeiling(days.SelectMany(d => d.Values).DefaultIfEmpty(0).Max());
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        double X(int i) => Left + (days.Count == 1 ? plotWidth / 2.0 : i * plotWidth / (double)(days.Count - 1));
        double Y(long cents) => Top + plotHeight - (cents * (double)plotHeight / max);
        static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var grid = Html.Join(Enumerable.Range(0, 5).Select(step =>
        {
            var value = max * step / 4;
            var y = N(Y(value));
            return Html.Of($"""<line x1="{Left}" x2="{Width - Right}" y1="{y}" y2="{y}" stroke="#d5dbe3"/><text x="{Left - 6}" y="{y}" text-anchor="end" dominant-baseline="middle" font-size="11" fill="#5a6675">{Amount.Format(value)}</text>""");
        }));
        var labels = Html.Join(days.Select((d, i) => i % 2 == (days.Count - 1) % 2
            ? Html.Of($"""<text x="{N(X(i))}" y="{Height - 12}" text-anchor="middle" font-size="11" fill="#5a6675">{d.Date.ToString("MM-dd", CultureInfo.InvariantCulture)}</text>""")
            : Html.Empty));
        var lines = Html.Join(MoneyByDay.Series.Select((name, s) =>
        {
            var points = string.Join(' ', days.Select((d, i) => N(X(i)) + "," + N(Y(d.Values[s]))));
            var dots = Html.Join(days.Select((d, i) => Html.Of(
                $"""<circle cx="{N(X(i))}" cy="{N(Y(d.Values[s]))}" r="3" fill="{Colors[s]}"><title>{name} {d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}: {Amount.Format(d.Values[s])}</title></circle>""")));
            return Html.Of($"""<g><polyline points="{points}" fill="none" stroke="{Colors[s]}" stroke-width="{Widths[s]}" stroke-dasharray="{Dashes[s]}" stroke-linejoin="round"/>{dots}</g>""");
        }));
        var legend = Html.Join(MoneyByDay.Series.Select((name, s) => Html.Of($"""<li><span class="swatch s{s}"></span>{name}</li>""")));
        var header = Html.Join(MoneyByDay.Series.Select(name => Html.Of($"""<th scope="col" class="num">{name}</th>""")));
        var rows = Html.Join(days.Select(d => Html.Of(
            $"""<tr><th scope="row">{d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}</th>{Html.Join(d.Values.Select(v => Html.Of($"""<td class="num">{Amount.Format(v)}</td>""")))}</tr>""")));
        var from = days[0].Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = days[^1].Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        return Html.Of($"""
            <figure class="chart">
              <svg viewBox="0 0 {Width} {Height}" role="img" aria-labelledby="chart-title chart-desc" focusable="false">
                <title id="chart-title">Money by state per day</title>
                <desc id="chart-desc">Top-ups, escrow held at the end of each day, released, refunded and withdrawn, from {from} to {to} (UTC), in the instance currency. The same numbers are in the table below.</desc>
                {grid}{labels}{lines}
              </svg>
              <figcaption><ul class="legend">{legend}</ul></figcaption>
            </figure>
            <details>
              <summary>The numbers</summary>
              <div class="table-wrap"><table><thead><tr><th scope="col">Day (UTC)</th>{header}</tr></thead><tbody>{rows}</tbody></table></div>
            </details>
            """);
    }

    /// <summary>The smallest 1, 2 or 5 × 10ⁿ cents at or above the largest value, so the axis reads in round amounts.</summary>
    private static long NiceCeiling(long max)
    {
        var step = 100L;
        while (true)
        {
            foreach (var factor in new long[] { 1, 2, 5 })
            {
                if (step * factor >= max)
                {
                    return step * factor;
                }
            }

            step *= 10;
        }
    }
}
