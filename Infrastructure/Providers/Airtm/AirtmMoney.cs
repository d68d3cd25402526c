namespace OfferHub.Lite.Infrastructure.Providers.Airtm;

/// <summary>Exact conversion between our integer cents and Airtm's USD numbers.</summary>
public static class AirtmMoney
{
    public static decimal ToUsd(long cents) => cents / 100m;

    /// <summary>Cents for an Airtm amount. A value with more than two decimals is a provider
    /// answer we cannot represent and is refused rather than rounded.</summary>
    public static long ToCents(decimal usd)
    {
        var cents = usd * 100m;
        if (cents != decimal.Truncate(cents))
        {
            throw ProviderException.InvalidResponse(AirtmClient.Provider, $"amount {usd} has more than two decimals");
        }

        return (long)decimal.Round(cents, 0, MidpointRounding.AwayFromZero);
    }
}
