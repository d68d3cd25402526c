using OfferHub.Lite.Infrastructure.Money;

namespace OfferHub.Lite.Tests.Unit;

public sealed class AmountTests
{
    [Theory]
    [InlineData("0.01", 1)]
    [InlineData("1.00", 100)]
    [InlineData("100.50", 10050)]
    [InlineData("9999999999.99", 999_999_999_999)]
    public void Two_decimal_strings_parse_to_exact_cents(string text, long cents)
    {
        Assert.True(Amount.TryParse(text, out var parsed));
        Assert.Equal(cents, parsed);
        Assert.Equal(text, Amount.Format(parsed));
    }

    [Theory]
    [InlineData("0.00")]
    [InlineData("100")]
    [InlineData("100.0")]
    [InlineData("100.000")]
    [InlineData("-1.00")]
    [InlineData("1e3")]
    [InlineData(" 1.00")]
    [InlineData("1.00 ")]
    [InlineData("10.00\n")]
    [InlineData("\u0661\u0660.\u0660\u0660")]
    [InlineData("\uFF11.00")]
    [InlineData("1.0\u0660")]
    [InlineData("1,00")]
    [InlineData("10000000000.00")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_refused(string? text) => Assert.False(Amount.TryParse(text, out _));

    [Fact]
    public void Negative_cents_format_with_their_sign() => Assert.Equal("-0.05", Amount.Format(-5));
}
