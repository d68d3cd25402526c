using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Infrastructure.RateLimiting;

/// <summary>A per-user limit on a route: at most <c>Limit(options)</c> requests per minute for the
/// user named by the body's user_id.</summary>
public sealed record UserRateLimit(string Name, Func<OfferHubOptions, int> Limit);

public static class UserRateLimits
{
    public static readonly UserRateLimit Topups = new("topups", o => o.RateLimits.TopupsPerUserPerMinute);
    public static readonly UserRateLimit Withdrawals = new("withdrawals", o => o.RateLimits.WithdrawalsPerUserPerMinute);

    public static RouteHandlerBuilder RateLimitedPerUser(this RouteHandlerBuilder builder, UserRateLimit limit) =>
        builder.WithMetadata(limit).AddEndpointFilter<UserRateLimitFilter>();
}

/// <summary>Fixed one-minute windows on the app's clock: counted in Redis when it is connected, so
/// that the limits hold across instances, and in this process otherwise (or while Redis is away).</summary>
public sealed class RateLimitCounters(Events.EventBus bus, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Counter> counters = new();

    public async Task<(bool Allowed, int Remaining, DateTimeOffset Reset)> HitAsync(string key, int limit)
    {
        var now = clock.GetUtcNow();
        var windowStart = new DateTimeOffset(now.Ticks - (now.Ticks % Window.Ticks), TimeSpan.Zero);
        if (bus.SharedStore is { } redis)
        {
            try
            {
                var redisKey = $"offerhub:ratelimit:{key}:{windowStart.ToUnixTimeSeconds()}";
                var count = await redis.StringIncrementAsync(redisKey);
                if (count == 1)
                {
                    await redis.KeyExpireAsync(redisKey, Window + TimeSpan.FromSeconds(5));
                }

                return (count <= limit, (int)Math.Max(0, limit - count), windowStart + Window);
            }
            catch (StackExchange.Redis.RedisException)
            {
                // Redis went away mid-call: count here until it is back.
            }
        }

        var counter = counters.GetOrAdd(key, _ => new Counter());
        lock (counter)
        {
            if (counter.WindowStart != windowStart)
            {
                counter.WindowStart = windowStart;
                counter.Count = 0;
            }

            var allowed = counter.Count < limit;
            if (allowed)
            {
                counter.Count++;
            }

            return (allowed, Math.Max(0, limit - counter.Count), windowStart + Window);
        }
    }

    private sealed class Counter
    {
        public DateTimeOffset WindowStart { get; set; }

        public int Count { get; set; }
    }
}

/// <summary>api.md's overall limit: requests per minute per API key (or token), with the same
/// headers and 429 as the per-user limits. The master key is the operator's and is not counted.</summary>
public sealed class ApiKeyRateLimitMiddleware(RequestDelegate next, RateLimitCounters counters, OfferHubOptions options, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<Auth.Caller>() is { } caller && !caller.Scopes.Contains(Auth.Scopes.Master))
        {
            var max = options.RateLimits.PerApiKeyPerMinute;
            RateLimitResponses.Apply(context, await counters.HitAsync("key:" + caller.KeyId, max), max, "requests with this API key", "api_key", clock);
        }

        await next(context);
    }
}

/// <summary>The X-RateLimit-* headers, and the 429 when the window is used up.</summary>
public static class RateLimitResponses
{
    public static void Apply(HttpContext http, (bool Allowed, int Remaining, DateTimeOffset Reset) hit, int max, string what, string limit, TimeProvider clock)
    {
        http.Response.Headers["X-RateLimit-Limit"] = max.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-RateLimit-Remaining"] = hit.Remaining.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-RateLimit-Reset"] = hit.Reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (hit.Allowed)
        {
            return;
        }

        Observability.ProductMetrics.RateLimited(limit);
        var retryAfter = Math.Max(1, (int)Math.Ceiling((hit.Reset - clock.GetUtcNow()).TotalSeconds));
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        throw new ApiException(429, ApiErrors.RateLimited, $"Too many {what}; try again later", new Dictionary<string, object?>
        {
            ["retry_after"] = retryAfter,
            ["limit"] = max,
            ["window"] = "1m",
        });
    }
}

public sealed class UserRateLimitFilter(RateLimitCounters counters, OfferHubOptions options, TimeProvider clock) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var limit = http.GetEndpoint()!.Metadata.GetMetadata<UserRateLimit>()!;
        if (UserIdOf(http) is not { } userId)
        {
            // No user to count against: validation refuses the request anyway.
            return await next(context);
        }

        var max = limit.Limit(options);
        RateLimitResponses.Apply(http, await counters.HitAsync($"{limit.Name}:{userId}", max), max, $"{limit.Name} for this user", limit.Name, clock);
        return await next(context);
    }

    private static string? UserIdOf(HttpContext http)
    {
        var body = http.Features.Get<RawBody>()?.Bytes;
        if (body is null || body.Length == 0)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("user_id", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
