namespace OfferHub.Lite.Infrastructure.Primitives;

/// <summary>Who is calling and under which correlation ids, for one request or CLI command.</summary>
public sealed class RequestContext
{
    public const string RequestIdHeader = "X-Request-ID";

    public string RequestId { get; set; } = Guid.NewGuid().ToString("N");

    public Actor Actor { get; set; } = Actor.System;

    /// <summary>Whose idempotency keys these are: the API key id, or "master".</summary>
    public string IdempotencyOwner { get; set; } = "system";

    public string? IdempotencyKey { get; set; }

    /// <summary>True when this request retries an Idempotency-Key whose first attempt was
    /// interrupted: its handler answers the outcome of work already done instead of refusing it.</summary>
    public bool IdempotencyResumed { get; set; }

    public string? Ip { get; set; }

    public string? UserAgent { get; set; }
}

public sealed record Actor(string Type, string? Id)
{
    public static readonly Actor System = new("system", null);
}
