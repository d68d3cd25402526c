namespace OfferHub.Lite.Infrastructure.Idempotency;

/// <summary>Endpoint metadata: this route needs an Idempotency-Key, kept for <see cref="Retention"/>
/// (null = forever) after the first response.</summary>
public sealed record IdempotencyPolicy(TimeSpan? Retention)
{
    public static readonly IdempotencyPolicy OneDay = new(TimeSpan.FromHours(24));
    public static readonly IdempotencyPolicy SevenDays = new(TimeSpan.FromDays(7));
    public static readonly IdempotencyPolicy Forever = new((TimeSpan?)null);
}

public static class IdempotencyEndpointExtensions
{
    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder builder, IdempotencyPolicy policy) =>
        builder.WithMetadata(policy).AddEndpointFilter<IdempotencyFilter>();
}
