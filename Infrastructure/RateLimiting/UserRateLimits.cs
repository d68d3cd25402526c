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

/// <summary>Fixed one-minute windows counted in this process, on the app's clock. (Shared
/// counters across instances come with Redis.)</summary>
public sealed class RateLimitCounters(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Counter> counters = new();

    public (bool Allowed, int Remaining, DateTimeOffset Reset) Hit(string key, int limit)
    {
        var now = clock.GetUtcNow();
        var windowStart = new DateTimeOffset(now.Ticks - (now.Ticks % Window.Ticks), TimeSpan.Zero);
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
        var (allowed, remaining, reset) = counters.Hit($"{limit.Name}:{userId}", max);
        http.Response.Headers["X-RateLimit-Limit"] = max.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (allowed)
        {
            return await next(context);
        }

        var retryAfter = Math.Max(1, (int)Math.Ceiling((reset - clock.GetUtcNow()).TotalSeconds));
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        throw new ApiException(429, ApiErrors.RateLimited, $"Too many {limit.Name} for this user; try again later", new Dictionary<string, object?>
        {
            ["retry_after"] = retryAfter,
            ["limit"] = max,
            ["window"] = "1m",
        });
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
