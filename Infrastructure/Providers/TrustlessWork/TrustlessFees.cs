namespace OfferHub.Lite.Infrastructure.Providers.TrustlessWork;

/// <summary>What a release pays (Trustless Work's release phase: the receiver gets the released
/// amount minus the protocol fee and the escrow's platformFee, both percentages). Each fee is
/// rounded down to the cent, so the receiver's share carries any sub-cent remainder; a dispute
/// resolution pays its distributions as given, without fees.</summary>
public readonly record struct ReleaseSplit(long Receiver, long ProtocolFee, long PlatformFee)
{
    public static ReleaseSplit Of(long gross, decimal protocolFeePercent, decimal platformFeePercent)
    {
        var protocol = Fee(gross, protocolFeePercent);
        var platform = Fee(gross, platformFeePercent);
        return new ReleaseSplit(gross - protocol - platform, protocol, platform);
    }

    private static long Fee(long gross, decimal percent) => (long)decimal.Floor(gross * percent / 100m);
}
