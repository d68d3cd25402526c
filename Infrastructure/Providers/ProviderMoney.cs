namespace OfferHub.Lite.Infrastructure.Providers;

/// <summary>Exact conversion between our integer cents and a provider's decimal amounts
/// (Airtm's USD, Trustless Work's USDC).</summary>
public static class ProviderMoney
{
    public static decimal ToDecimal(long cents) => cents / 100m;

    /// <summary>Cents for a provider amount. A value with more than two decimals is an answer we
    /// cannot represent and is refused rather than rounded.</summary>
    public static long ToCents(string provider, decimal amount)
    {
        var cents = amount * 100m;
        if (cents != decimal.Truncate(cents))
        {
            throw ProviderException.InvalidResponse(provider, $"amount {amount} has more than two decimals");
        }

        return (long)decimal.Round(cents, 0, MidpointRounding.AwayFromZero);
    }
}
