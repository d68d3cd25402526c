using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.Auth;

/// <summary>Resolves the bearer token into the caller and enforces the endpoint's
/// <see cref="AuthRequirement"/>. Runs after routing, so it knows the endpoint.</summary>
public sealed class AuthMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, RequestContext request, ApiKeyAuthenticator keys, Db db)
    {
        var requirement = Requirement(context);
        if (requirement is null || requirement.IsPublic)
        {
            await next(context);
            return;
        }

        var caller = await AuthenticateAsync(context, keys, context.RequestAborted);
        if (requirement.Scope != AuthRequirement.AnyToken.Scope && !caller.Scopes.Contains(requirement.Scope!))
        {
            throw new ApiException(403, ApiErrors.InsufficientScope, $"This endpoint needs the '{requirement.Scope}' scope", new Dictionary<string, object?>
            {
                ["required_scope"] = requirement.Scope,
                ["current_scopes"] = caller.Scopes.Where(s => s != Scopes.Master).Order().ToList(),
            });
        }

        if (caller.UserId is not null)
        {
            await EnforceUserBindingAsync(context, requirement, caller, db);
        }

        context.Features.Set(caller);
        request.Actor = caller.Actor;
        request.IdempotencyOwner = caller.IdempotencyOwner;
        await next(context);
    }

    /// <summary>A user-bound token reaches only what the endpoint opened to it, and only its own
    /// user's resources there.</summary>
    private static async Task EnforceUserBindingAsync(HttpContext context, AuthRequirement requirement, Caller caller, Db db)
    {
        var userId = caller.UserId!;
        switch (context.GetEndpoint()!.Metadata.GetMetadata<UserTokenAccess>())
        {
            case UserTokenAccess.TokenItself:
                return;
            case UserTokenAccess.OwnedResource owned:
                var id = context.GetRouteValue(owned.RouteValue) as string ?? string.Empty;
                var owners = await db.QueryAsync<string>(owned.OwnersSql, new { id }, context.RequestAborted);
                if (!owners.Contains(userId, StringComparer.Ordinal))
                {
                    throw ApiErrors.NotFound(owned.NotFoundCode, owned.ResourceName, id);
                }

                return;
            case UserTokenAccess.FilteredByUser filtered:
                var asked = context.Request.Query[filtered.QueryParameter];
                if (asked.Count == 0)
                {
                    var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value);
                    query[filtered.QueryParameter] = userId;
                    context.Request.Query = new QueryCollection(query);
                }
                else if (asked.Count > 1 || asked[0] != userId)
                {
                    throw ApiErrors.NotFound(ApiErrors.UserNotFound, "User", asked.ToString());
                }

                return;
            default:
                throw new ApiException(403, ApiErrors.InsufficientScope, "A token bound to a user may only read that user's resources and events and submit that user's signatures", new Dictionary<string, object?>
                {
                    ["required_scope"] = requirement.Scope == AuthRequirement.AnyToken.Scope ? Scopes.Read : requirement.Scope,
                    ["current_scopes"] = caller.Scopes.Order().ToList(),
                    ["bound_user_id"] = userId,
                });
        }
    }

    private static AuthRequirement? Requirement(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            return null;
        }

        var declared = endpoint.Metadata.GetMetadata<AuthRequirement>();
        if (declared is not null)
        {
            return declared;
        }

        // A mapped API route that forgot to declare its requirement fails closed. Endpoints the
        // framework makes up (405, 415) carry no HTTP method metadata and pass through.
        var mapped = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not null;
        return mapped && context.Request.Path.StartsWithSegments(ApiRoutes.BasePath) ? new AuthRequirement(Scopes.Master) : null;
    }

    private static async Task<Caller> AuthenticateAsync(HttpContext context, ApiKeyAuthenticator keys, CancellationToken ct)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= "Bearer ".Length)
        {
            throw new ApiException(401, ApiErrors.Unauthorized, "Send Authorization: Bearer <api key>");
        }

        return await keys.FindAsync(header["Bearer ".Length..].Trim(), ct)
            ?? throw new ApiException(401, ApiErrors.InvalidApiKey, "The API key is unknown, revoked or expired");
    }
}

/// <summary>Turns a presented key (or the id of a key that signed in earlier) into the caller:
/// the master key, or a live API key or token. Shared by the API and the console.</summary>
public sealed class ApiKeyAuthenticator(Db db, OfferHubOptions options, TimeProvider clock)
{
    private const string KeyColumns = "id, kind, name, scopes, user_id, expires_at, revoked_at, last_used_at";

    // last_used_at is informative; writing it at most once a minute keeps reads off the writer.
    private const string TouchSql = "UPDATE api_keys SET last_used_at = @now WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @staleBefore)";

    /// <summary>The caller holding <paramref name="token"/>; null when it is unknown, revoked or expired.</summary>
    public async Task<Caller?> FindAsync(string token, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(options.MasterKey) && ApiKeySecrets.FixedTimeEquals(token, options.MasterKey))
        {
            return Caller.MasterKey;
        }

        if (!ApiKeySecrets.LooksLikeIssuedSecret(token))
        {
            return null;
        }

        var row = await db.QuerySingleOrDefaultAsync<KeyRow>($"SELECT {KeyColumns} FROM api_keys WHERE key_hash = @hash", new { hash = ApiKeySecrets.Hash(token) }, ct);
        return await LiveAsync(row, ct);
    }

    /// <summary>The caller of a key identified earlier (by its id, or "master"), while it is still live.</summary>
    public async Task<Caller?> FindByIdAsync(string keyId, CancellationToken ct)
    {
        if (keyId == Caller.MasterKey.KeyId)
        {
            return string.IsNullOrEmpty(options.MasterKey) ? null : Caller.MasterKey;
        }

        var row = await db.QuerySingleOrDefaultAsync<KeyRow>($"SELECT {KeyColumns} FROM api_keys WHERE id = @keyId", new { keyId }, ct);
        return await LiveAsync(row, ct);
    }

    private async Task<Caller?> LiveAsync(KeyRow? row, CancellationToken ct)
    {
        var now = clock.NowMs();
        if (row is null || row.RevokedAt is not null || (row.ExpiresAt is { } expiry && expiry <= now))
        {
            return null;
        }

        if (row.LastUsedAt is null || row.LastUsedAt < now - 60_000)
        {
            await using var scope = db.BeginScope();
            await db.ExecuteAsync(TouchSql, new { id = row.Id, now, staleBefore = now - 60_000 }, ct);
            await scope.CompleteAsync();
        }

        return Caller.FromKey(row.Id, row.Kind, row.Name, row.Scopes, row.UserId);
    }

    private sealed record KeyRow(string Id, string Kind, string? Name, string Scopes, string? UserId, long? ExpiresAt, long? RevokedAt, long? LastUsedAt);
}

/// <summary>The authenticated caller, available to endpoints as an HTTP feature. <see cref="UserId"/>
/// is set for a token bound to one user.</summary>
public sealed record Caller(string KeyId, string? Name, IReadOnlySet<string> Scopes, Actor Actor, string IdempotencyOwner, string? UserId = null)
{
    public static readonly Caller MasterKey = new(
        "master", "master key", new HashSet<string> { Auth.Scopes.Read, Auth.Scopes.Write, Auth.Scopes.Support, Auth.Scopes.Master }, new Actor("master", "master"), "master");

    public static Caller FromKey(string id, string kind, string? name, string scopes, string? userId)
    {
        var set = scopes.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        // Short-lived tokens are minted by the master key, so retries with a fresh token still
        // find their idempotency keys; a user's tokens share theirs with no one else, so a browser
        // can never replay the backend's responses.
        var owner = kind != "token" ? id : userId is null ? "master" : $"user:{userId}";
        return new Caller(id, name, set, new Actor(set.Contains(Auth.Scopes.Support) && !set.Contains(Auth.Scopes.Write) ? "support" : "marketplace_api", id), owner, userId);
    }
}

public static class CallerExtensions
{
    /// <summary>The caller the auth middleware resolved; only on endpoints that require a token.</summary>
    public static Caller Caller(this HttpContext context) =>
        context.Features.Get<Caller>() ?? throw new InvalidOperationException("This endpoint does not require a token.");
}
