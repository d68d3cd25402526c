using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

/// <summary>api.md's overall limit per API key: a key past its requests per minute gets 429 with
/// Retry-After; another key and the master key are not affected; the next minute resets it.</summary>
public sealed class ApiKeyRateLimitTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_key_past_its_requests_per_minute_is_throttled_alone(Dialect dialect)
    {
        _ = fixture.Get(dialect);
        await using var app = new TestApp(dialect, fixture.NewDatabaseUrl(dialect), new Dictionary<string, string?> { ["OfferHub:RateLimits:PerApiKeyPerMinute"] = "5" });
        var now = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(now.Ticks % TimeSpan.FromMinutes(1).Ticks));
        var busy = await app.ClientWithScopesAsync("read");
        var other = await app.ClientWithScopesAsync("read");

        for (var i = 0; i < 5; i++)
        {
            var ok = await busy.GetAsync("/api/v1/users");
            await ok.OkAsync();
            Assert.Equal("5", ok.Headers.GetValues("X-RateLimit-Limit").Single());
        }

        var throttled = await busy.GetAsync("/api/v1/users");
        Assert.Equal(5, (await throttled.ErrorAsync(429, "RATE_LIMITED")).GetProperty("limit").GetInt32());
        Assert.True(throttled.Headers.Contains("Retry-After"));
        await (await other.GetAsync("/api/v1/users")).OkAsync();
        for (var i = 0; i < 6; i++)
        {
            await (await app.Master().GetAsync("/api/v1/auth/api-keys")).OkAsync();
        }

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await busy.GetAsync("/api/v1/users")).OkAsync();
    }
}
