namespace OfferHub.Lite.Infrastructure.Auth;

/// <summary>Endpoint metadata: how a token bound to one user (POST /auth/token with user_id) may
/// use the endpoint. The auth middleware enforces it once for every route; an endpoint without
/// it answers such a token 403, so a new endpoint is closed to browsers until it says otherwise.</summary>
public abstract record UserTokenAccess
{
    /// <summary>The route value names one resource; <paramref name="OwnersSql"/> selects the ids of
    /// the users it belongs to (parameter <c>@id</c>). Anyone else's resource answers the same
    /// 404 as one that does not exist, so the token learns nothing about other users.</summary>
    public sealed record OwnedResource(string OwnersSql, string NotFoundCode, string ResourceName, string RouteValue = "id") : UserTokenAccess;

    /// <summary>A list or stream with a user filter: the token's own user is filled in when the
    /// filter is absent, and any other user id answers 404 <c>USER_NOT_FOUND</c>.</summary>
    public sealed record FilteredByUser(string QueryParameter = "user_id") : UserTokenAccess;

    /// <summary>Answers about the token itself (GET /me).</summary>
    public sealed record TokenItself : UserTokenAccess;
}

public static class UserTokenAccessExtensions
{
    /// <summary>Opens the endpoint to user-bound tokens, within <paramref name="access"/>.</summary>
    public static TBuilder AllowUserToken<TBuilder>(this TBuilder builder, UserTokenAccess access)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(access);
}
