using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;

namespace OfferHub.Lite.Features.OperatorConsole.Shell;

/// <summary>A fragment of markup that is already safe. Built with <see cref="Of"/>, whose holes are
/// HTML-encoded unless they are <see cref="Html"/> themselves, so a page cannot forget to encode.</summary>
public readonly record struct Html(string Value)
{
    public static readonly Html Empty = new(string.Empty);

    public static Html Of(ref HtmlBuilder markup) => new(markup.ToStringAndClear());

    public static Html Text(string? text) => new(HtmlEncoder.Default.Encode(text ?? string.Empty));

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public static Html When(bool condition, Html markup) => condition ? markup : Empty;

    public override string ToString() => Value;
}

[InterpolatedStringHandler]
public ref struct HtmlBuilder
{
    private DefaultInterpolatedStringHandler inner;

    public HtmlBuilder(int literalLength, int formattedCount) => inner = new DefaultInterpolatedStringHandler(literalLength, formattedCount, CultureInfo.InvariantCulture);

    public void AppendLiteral(string literal) => inner.AppendLiteral(literal);

    public void AppendFormatted(Html markup) => inner.AppendLiteral(markup.Value);

    public void AppendFormatted(string? text) => inner.AppendLiteral(HtmlEncoder.Default.Encode(text ?? string.Empty));

    public void AppendFormatted(long number) => inner.AppendLiteral(number.ToString(CultureInfo.InvariantCulture));

    public void AppendFormatted(int number) => inner.AppendLiteral(number.ToString(CultureInfo.InvariantCulture));

    public void AppendFormatted(DateTimeOffset time) => inner.AppendLiteral(time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    public void AppendFormatted(DateTimeOffset? time) => AppendFormatted(time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "–");

    public string ToStringAndClear() => inner.ToStringAndClear();
}
