namespace OfferHub.Lite.Infrastructure.Auth;

public static class Scopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Support = "support";

    /// <summary>Not grantable: only the master key holds it.</summary>
    public const string Master = "master";

    public static readonly IReadOnlyList<string> Grantable = [Read, Write, Support];
}

/// <summary>Endpoint metadata: what a caller must hold. Endpoints under /api/v1 without it are
/// treated as master-only, so a forgotten declaration fails closed.</summary>
public sealed record AuthRequirement(string? Scope)
{
    public static readonly AuthRequirement None = new((string?)null);
    public static readonly AuthRequirement AnyToken = new("*");

    public bool IsPublic => Scope is null;
}

public static class AuthEndpointExtensions
{
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AuthRequirement(scope));

    public static TBuilder RequireMasterKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AuthRequirement(Scopes.Master));

    public static TBuilder RequireAnyToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AuthRequirement.AnyToken);

    public static TBuilder AllowWithoutToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AuthRequirement.None);
}
