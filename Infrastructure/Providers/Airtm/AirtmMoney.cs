namespace OfferHub.Lite.Infrastructure.Providers.Airtm;

/// <summary>Airtm's USD numbers and our cents.</summary>
public static class AirtmMoney
{
    public static decimal ToUsd(long cents) => ProviderMoney.ToDecimal(cents);

    public static long ToCents(decimal usd) => ProviderMoney.ToCents(AirtmClient.Provider, usd);
}
