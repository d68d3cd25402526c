using System.Net;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

public sealed class IdempotencyTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static object NewUser() => new { external_user_id = "idem-" + Guid.NewGuid().ToString("N"), type = "seller" };

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_repeat_is_answered_byte_for_byte_from_the_stored_response(Dialect dialect)
    {
        var client = await fixture.Get(dialect).WriterAsync();
        var key = Guid.NewGuid().ToString();
        var body = NewUser();

        var first = await client.PostAsync("/api/v1/users", body, key);
        var second = await client.PostAsync("/api/v1/users", body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(key, second.Headers.GetValues("X-Idempotency-Key").Single());
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task The_same_key_with_a_different_request_is_refused(Dialect dialect)
    {
        var client = await fixture.Get(dialect).WriterAsync();
        var key = Guid.NewGuid().ToString();
        await (await client.PostAsync("/api/v1/users", NewUser(), key)).OkAsync(HttpStatusCode.Created);
        await (await client.PostAsync("/api/v1/users", NewUser(), key)).ErrorAsync(409, "IDEMPOTENCY_KEY_REUSED");
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_failed_request_leaves_the_key_free_to_retry(Dialect dialect)
    {
        var client = await fixture.Get(dialect).WriterAsync();
        var key = Guid.NewGuid().ToString();
        await (await client.PostAsync("/api/v1/users", new { type = "buyer" }, key)).ErrorAsync(400, "VALIDATION_ERROR");
        await (await client.PostAsync("/api/v1/users", NewUser(), key)).OkAsync(HttpStatusCode.Created);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Twenty_concurrent_identical_requests_create_exactly_one_user(Dialect dialect)
    {
        var client = await fixture.Get(dialect).WriterAsync();
        var key = Guid.NewGuid().ToString();
        var externalId = "race-" + Guid.NewGuid().ToString("N");
        var body = new { external_user_id = externalId, type = "buyer" };

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.PostAsync("/api/v1/users", body, key)));

        var created = new List<string>();
        foreach (var response in responses)
        {
            if (response.StatusCode == HttpStatusCode.Created)
            {
                created.Add((await response.JsonAsync()).Str("id"));
            }
            else
            {
                await response.ErrorAsync(409, "IDEMPOTENCY_KEY_IN_PROGRESS");
            }
        }

        Assert.NotEmpty(created);
        Assert.Single(created.Distinct());
        var listed = await (await client.GetAsync($"/api/v1/users?external_user_id={externalId}")).OkAsync();
        Assert.Equal(1, listed.GetProperty("data").GetArrayLength());
        var events = await (await client.GetAsync($"/api/v1/events?types=user.created&resource_id={created[0]}")).OkAsync();
        Assert.Equal(1, events.GetProperty("data").GetArrayLength());
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Keys_belong_to_the_api_key_that_used_them(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var key = Guid.NewGuid().ToString();
        var first = await (await (await app.WriterAsync()).PostAsync("/api/v1/users", NewUser(), key)).OkAsync(HttpStatusCode.Created);
        var second = await (await (await app.WriterAsync()).PostAsync("/api/v1/users", NewUser(), key)).OkAsync(HttpStatusCode.Created);
        Assert.NotEqual(first.Str("id"), second.Str("id"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task After_the_retention_window_a_key_may_be_used_as_new(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var client = await app.WriterAsync();
        var key = Guid.NewGuid().ToString();
        await (await client.PostAsync("/api/v1/users", NewUser(), key)).OkAsync(HttpStatusCode.Created);
        app.Clock.Advance(TimeSpan.FromDays(6));
        await (await client.PostAsync("/api/v1/users", NewUser(), key)).ErrorAsync(409, "IDEMPOTENCY_KEY_REUSED");
        app.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await (await client.PostAsync("/api/v1/users", NewUser(), key)).OkAsync(HttpStatusCode.Created);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_key_left_in_progress_by_a_crash_is_taken_over_after_the_lock_timeout(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var apiKey = await app.CreateKeyAsync("read", "write");
        var client = app.Client(apiKey);
        var keyId = (await (await client.GetAsync("/api/v1/me")).OkAsync()).GetProperty("api_key").Str("id");
        var body = NewUser();
        var key = Guid.NewGuid().ToString();

        // The first attempt claims the key and then "crashes": simulated by a claim row with no response.
        await (await client.PostAsync("/api/v1/users", body, key)).OkAsync(HttpStatusCode.Created);
        await using (var db = await app.OpenDbAsync())
        {
            await using var scope = db.BeginScope();
            var now = app.Clock.GetUtcNow().ToUnixTimeMilliseconds();
            await db.ExecuteAsync(
                "UPDATE idempotency_keys SET state = 'in_progress', response_status = NULL, response_body = NULL, expires_at = NULL, locked_until = @until WHERE owner = @owner AND idem_key = @key",
                new { owner = keyId, key, until = now + 60_000 },
                CancellationToken.None);
            await db.ExecuteAsync("DELETE FROM users WHERE external_user_id = @id", new { id = ((dynamic)body).external_user_id }, CancellationToken.None);
            await scope.CompleteAsync();
        }

        await (await client.PostAsync("/api/v1/users", body, key)).ErrorAsync(409, "IDEMPOTENCY_KEY_IN_PROGRESS");
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        await (await client.PostAsync("/api/v1/users", body, key)).OkAsync(HttpStatusCode.Created);
    }
}
