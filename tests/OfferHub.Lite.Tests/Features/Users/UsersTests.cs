using System.Net;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Users;

public sealed class UsersTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_created_user_can_be_read_back_with_every_field(Dialect dialect)
    {
        var client = await fixture.Get(dialect).WriterAsync();
        var externalId = "ext-" + Guid.NewGuid().ToString("N");
        var created = await (await client.PostNewAsync("/api/v1/users", new { external_user_id = externalId, email = "ana@example.com", type = "both", metadata = new { plan = "pro", n = 3 } }))
            .OkAsync(HttpStatusCode.Created);

        Assert.Matches("^usr_[0-9a-z]{26}$", created.Str("id"));
        Assert.Equal("ACTIVE", created.Str("status"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", created.Str("created_at"));
        foreach (var nullable in new[] { "airtm_user_id", "airtm_email", "stellar_address" })
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Null, created.GetProperty(nullable).ValueKind);
        }

        var read = await (await client.GetAsync($"/api/v1/users/{created.Str("id")}")).OkAsync();
        Assert.Equal(created.GetRawText(), read.GetRawText());
        Assert.Equal("pro", read.GetProperty("metadata").Str("plan"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_duplicate_external_user_id_is_409_naming_the_existing_user(Dialect dialect)
    {
        var client = await fixture.Get(dialect).WriterAsync();
        var externalId = "dup-" + Guid.NewGuid().ToString("N");
        var id = await client.CreateUserAsync(externalId: externalId);
        var details = await (await client.PostNewAsync("/api/v1/users", new { external_user_id = externalId, type = "seller" })).ErrorAsync(409, "USER_ALREADY_EXISTS");
        Assert.Equal(id, details.Str("user_id"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Lists_filter_and_page_newest_first(Dialect dialect)
    {
        var client = await fixture.Get(dialect).WriterAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var sellers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            sellers.Add(await client.CreateUserAsync("seller", $"{tag}-s{i}"));
        }

        var buyer = await client.CreateUserAsync("buyer", $"{tag}-b");

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"/api/v1/users?type=seller&limit=2{(cursor is null ? string.Empty : "&cursor=" + cursor)}")).OkAsync();
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(u => u.Str("id")));
            var pagination = page.GetProperty("pagination");
            cursor = pagination.GetProperty("has_more").GetBoolean() ? pagination.Str("next_cursor") : null;
        }
        while (cursor is not null);

        var ours = seen.Where(sellers.Contains).ToList();
        Assert.Equal(Enumerable.Reverse(sellers), ours);
        Assert.DoesNotContain(buyer, seen);
        Assert.Equal(seen.OrderDescending(StringComparer.Ordinal), seen);

        var byExternal = await (await client.GetAsync($"/api/v1/users?external_user_id={tag}-b")).OkAsync();
        Assert.Equal([buyer], byExternal.GetProperty("data").EnumerateArray().Select(u => u.Str("id")));
        var suspended = await (await client.GetAsync("/api/v1/users?status=SUSPENDED")).OkAsync();
        Assert.Equal(0, suspended.GetProperty("data").GetArrayLength());
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Creating_a_user_writes_its_event_and_audit_row_in_the_same_request(Dialect dialect)
    {
        var client = await fixture.Get(dialect).WriterAsync();
        var key = Guid.NewGuid().ToString();
        using var request = Http.Json(HttpMethod.Post, "/api/v1/users", new { external_user_id = "ev-" + Guid.NewGuid().ToString("N"), type = "buyer", email = "bob@example.com" }, key);
        request.Headers.Add("X-Request-ID", "req-users-" + key[..8]);
        var user = await (await client.SendAsync(request)).OkAsync(HttpStatusCode.Created);
        var id = user.Str("id");

        var events = await (await client.GetAsync($"/api/v1/events?user_id={id}")).OkAsync();
        var created = Assert.Single(events.GetProperty("data").EnumerateArray());
        Assert.Equal("user.created", created.Str("type"));
        Assert.Equal(id, created.GetProperty("data").Str("user_id"));
        Assert.Equal([id], created.GetProperty("user_ids").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("req-users-" + key[..8], created.Str("request_id"));
        Assert.Equal(key, created.Str("idempotency_key"));

        var audit = await (await client.GetAsync($"/api/v1/audit/logs?resource_type=user&resource_id={id}")).OkAsync();
        var row = Assert.Single(audit.GetProperty("data").EnumerateArray());
        Assert.Equal("USER_CREATE", row.Str("action"));
        Assert.Equal("SUCCESS", row.Str("result"));
        Assert.Equal("marketplace_api", row.GetProperty("actor").Str("type"));
        Assert.Equal("b***@example.com", row.GetProperty("after").Str("email"));
        Assert.Equal(key, row.Str("idempotency_key"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_refused_request_is_audited_as_a_failure_and_changes_nothing_else(Dialect dialect)
    {
        var client = await fixture.Get(dialect).WriterAsync();
        var externalId = "fail-" + Guid.NewGuid().ToString("N");
        await client.CreateUserAsync(externalId: externalId);
        var key = Guid.NewGuid().ToString();
        await (await client.PostAsync("/api/v1/users", new { external_user_id = externalId, type = "buyer" }, key)).ErrorAsync(409, "USER_ALREADY_EXISTS");

        var audit = await (await client.GetAsync("/api/v1/audit/logs?action=USER_CREATE&limit=100")).OkAsync();
        var failure = Assert.Single(audit.GetProperty("data").EnumerateArray(), r => r.GetProperty("idempotency_key").GetString() == key);
        Assert.Equal("FAILURE", failure.Str("result"));
        Assert.Equal("USER_ALREADY_EXISTS", failure.GetProperty("error").Str("code"));

        var events = await (await client.GetAsync("/api/v1/events?types=user.*&limit=100")).OkAsync();
        Assert.DoesNotContain(events.GetProperty("data").EnumerateArray(), e => e.GetProperty("idempotency_key").GetString() == key);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task The_event_page_reads_forward_from_its_cursor(Dialect dialect)
    {
        var client = await fixture.Get(dialect).WriterAsync();
        var first = await client.CreateUserAsync();
        var all = await (await client.GetAsync("/api/v1/events?types=user.created&limit=100")).OkAsync();
        var cursor = all.GetProperty("data").EnumerateArray().Single(e => e.Str("resource_id") == first).Str("id");
        var second = await client.CreateUserAsync();
        var third = await client.CreateUserAsync();

        var after = await (await client.GetAsync($"/api/v1/events?types=user.*&cursor={cursor}")).OkAsync();
        Assert.Equal([second, third], after.GetProperty("data").EnumerateArray().Select(e => e.Str("resource_id")));
    }
}
