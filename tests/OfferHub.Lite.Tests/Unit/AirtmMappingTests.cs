using OfferHub.Lite.Features.Topups;
using OfferHub.Lite.Features.Withdrawals;
using OfferHub.Lite.Infrastructure.Providers;
using OfferHub.Lite.Infrastructure.Providers.Airtm;

namespace OfferHub.Lite.Tests.Unit;

public sealed class AirtmMappingTests
{
    [Theory]
    [InlineData("100.5", 10050)]
    [InlineData("0.01", 1)]
    [InlineData("9999999999.99", 999999999999)]
    [InlineData("12", 1200)]
    public void Airtm_amounts_convert_to_cents_exactly(string usd, long cents)
    {
        var value = decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(cents, AirtmMoney.ToCents(value));
        Assert.Equal(value, AirtmMoney.ToUsd(cents));
    }

    [Fact]
    public void An_amount_with_more_than_two_decimals_is_refused_not_rounded() =>
        Assert.Equal("PROVIDER_ERROR", Assert.Throws<ProviderException>(() => AirtmMoney.ToCents(1.005m)).Code);

    [Theory]
    [InlineData("TOPUP_AWAITING_USER_CONFIRMATION", "CONFIRMED", new[] { "confirm", "paid" })]
    [InlineData("TOPUP_CREATED", "CONFIRMED", new[] { "payin_created", "confirm", "paid" })]
    [InlineData("TOPUP_PROCESSING", "CREATED", null)]
    [InlineData("TOPUP_SUCCEEDED", "CANCELED", null)]
    public void A_payin_status_is_reached_through_the_transition_table(string current, string payinStatus, string[]? actions)
    {
        var path = TopupStates.Machine.PathTo(current, AirtmStatuses.TopupStatusFor(payinStatus)!);
        Assert.Equal(actions, path?.Select(t => t.Action).ToArray());
    }

    [Theory]
    [InlineData("WITHDRAWAL_CREATED", "COMPLETED", new[] { "commit", "payout_accepted", "payout_completed" })]
    [InlineData("WITHDRAWAL_PENDING_USER_ACTION", "PROCESSING", new[] { "payout_accepted" })]
    [InlineData("WITHDRAWAL_COMMITTED", "BRIDGE_FAILED", new[] { "payout_refused" })]
    [InlineData("WITHDRAWAL_COMPLETED", "FAILED", null)]
    public void A_payout_status_is_reached_through_the_transition_table(string current, string payoutStatus, string[]? actions)
    {
        var path = WithdrawalStates.Machine.PathTo(current, AirtmStatuses.WithdrawalStatusFor(payoutStatus)!);
        Assert.Equal(actions, path?.Select(t => t.Action).ToArray());
    }

    [Fact]
    public void Unknown_provider_statuses_map_to_nothing()
    {
        Assert.Null(AirtmStatuses.TopupStatusFor("SOMETHING_NEW"));
        Assert.Null(AirtmStatuses.WithdrawalStatusFor("SOMETHING_NEW"));
    }
}
