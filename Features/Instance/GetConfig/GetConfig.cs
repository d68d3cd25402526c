using Mediator;
using OfferHub.Lite.Infrastructure.Configuration;

namespace OfferHub.Lite.Features.Instance.GetConfig;

public static class GetConfig
{
    public sealed record Query : IQuery<Result>;

    /// <summary>What a marketplace may show its users. Never a secret.</summary>
    public sealed record Result(FeatureSwitches Features, AmountLimits Limits, Providers Providers, IReadOnlyList<string> Currencies);

    public sealed record Providers(ProviderInfo Airtm, TrustlessWorkInfo TrustlessWork);

    public sealed record ProviderInfo(string Environment, string Status);

    public sealed record TrustlessWorkInfo(string Network, string Status);

    public sealed class Handler(OfferHubOptions options) : IQueryHandler<Query, Result>
    {
        public ValueTask<Result> Handle(Query query, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new Result(
                options.Features,
                options.Limits,
                new Providers(new ProviderInfo(options.AirtmMode, "enabled"), new TrustlessWorkInfo(options.TrustlessMode, "enabled")),
                options.Currencies));
    }
}
