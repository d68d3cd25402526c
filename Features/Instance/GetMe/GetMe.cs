using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Features.Instance.GetMe;

public static class GetMe
{
    public sealed record Query(Caller Caller) : IQuery<Result>;

    public sealed record Result(string MarketplaceId, ApiKeyInfo ApiKey, string Environment, string Version);

    /// <summary><c>user_id</c> names the user a token is bound to; null for API keys and unbound tokens.</summary>
    public sealed record ApiKeyInfo(string Id, string? Name, IReadOnlyList<string> Scopes, string? UserId);

    public sealed class Handler(Db db, OfferHubOptions options) : IQueryHandler<Query, Result>
    {
        private const string MarketplaceIdSql = "SELECT value FROM instance_settings WHERE key = 'marketplace_id'";

        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var marketplaceId = await db.QuerySingleAsync<string>(MarketplaceIdSql, null, cancellationToken);
            var scopes = ScopesOf(query.Caller);
            return new Result(marketplaceId, new ApiKeyInfo(query.Caller.KeyId, query.Caller.Name, scopes, query.Caller.UserId), options.IsProduction ? "production" : "sandbox", VersionInfo.Current);
        }

        private static List<string> ScopesOf(Caller caller) =>
            [.. Scopes.Grantable.Where(caller.Scopes.Contains), .. caller.Scopes.Contains(Scopes.Master) ? new[] { Scopes.Master } : []];
    }
}
