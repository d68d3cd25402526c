namespace OfferHub.Lite.Tests.Support;

/// <summary>Both providers' simulators in a server process of their own, so that their books
/// survive the orchestrator being killed; and what an orchestrator needs to use it through the
/// real clients and webhook paths.</summary>
public static class ProviderProcess
{
    public static Dictionary<string, string> OrchestratorEnvironment(Uri provider, string airtmSecret, string trustlessSecret) => new()
    {
        ["AIRTM_BASE_URL"] = provider + "sim/airtm/v2",
        ["AIRTM_WEBHOOK_SECRET"] = airtmSecret,
        ["TRUSTLESS_API_URL"] = provider + "sim/trustless-work",
        ["TRUSTLESS_SIGNER_URL"] = provider + "sim/trustless-work/signer",
        ["TRUSTLESS_WEBHOOK_SECRET"] = trustlessSecret,
        // Our own client-side limit on Trustless Work calls is not what these runs test.
        ["OfferHub__Trustless__RequestsPerMinute"] = "1000000",
        // Every flow is crashed and retried for few users: retries are not new top-ups or withdrawals.
        ["OfferHub__RateLimits__TopupsPerUserPerMinute"] = "1000",
        ["OfferHub__RateLimits__WithdrawalsPerUserPerMinute"] = "1000",
    };
}
