using System.Net;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Events;

/// <summary>The live stream of events.md through HTTP: replay then live without gap or duplicate,
/// filters, reconnection with Last-Event-ID, heartbeats, a subscriber that stops reading, the
/// one-stream-per-user limit.</summary>
public sealed class EventStreamTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Replay_then_live_under_concurrent_writes_delivers_every_event_once_in_sequence(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var client = await app.WriterAsync();
        var marker = await client.CreateUserAsync("buyer", "marker-" + Guid.NewGuid().ToString("N"));
        var cursor = await LatestEventIdAsync(client, marker);
        for (var i = 0; i < 10; i++)
        {
            await client.CreateUserAsync("buyer");
        }

        await using var stream = await SseClient.OpenAsync(client, $"/api/v1/events?types=user.created&cursor={cursor}");
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        var writers = Enumerable.Range(0, 4).Select(async _ =>
        {
            var writer = await app.WriterAsync();
            for (var i = 0; i < 10; i++)
            {
                await writer.CreateUserAsync("seller");
            }
        });
        await Task.WhenAll(writers);

        // What the stream must deliver: every user.created stored after the cursor, in sequence order.
        await using var db = await app.OpenDbAsync();
        var expected = await WaitForSequencedAsync(db, cursor, 50);
        var received = new List<string>();
        while (received.Count < expected.Count)
        {
            var message = await stream.NextEventAsync();
            Assert.Equal("user.created", message.Event);
            Assert.Equal(message.Id, message.Json.GetProperty("id").GetString());
            received.Add(message.Id!);
        }

        Assert.Equal(expected, received);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.NextEventAsync(timeoutMs: 1_500));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_client_reconnecting_with_its_last_event_id_misses_nothing_and_repeats_nothing(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var client = await app.WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        var filter = $"/api/v1/events?user_id={user}";

        string lastId;
        await using (var first = await SseClient.OpenAsync(client, filter))
        {
            await client.TopUpAsync(user, "10.00");
            SseClient.SseMessage message;
            do
            {
                message = await first.NextEventAsync();
            }
            while (message.Event != "topup.succeeded");

            lastId = message.Id!;
        }

        await client.TopUpAsync(user, "5.00");
        await using var second = await SseClient.OpenAsync(client, filter, lastEventId: lastId);
        var after = new List<string>();
        while (!after.Contains("balance.credited"))
        {
            after.Add((await second.NextEventAsync()).Event!);
        }

        // Exactly the second top-up's events, from its creation on: nothing of the first again.
        Assert.Equal(["topup.created", "topup.confirmation_required", "topup.processing", "balance.credited"], after);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Reconnecting_after_a_server_restart_with_the_last_event_id_misses_nothing(Dialect dialect)
    {
        _ = fixture.Get(dialect);
        var database = fixture.NewDatabaseUrl(dialect);
        string lastId;
        var expected = new List<string>();
        await using (var before = new TestApp(dialect, database))
        {
            var client = await before.WriterAsync();
            await using var stream = await SseClient.OpenAsync(client, "/api/v1/events?types=user.created");
            await stream.NextAsync();
            await client.CreateUserAsync("buyer");
            lastId = (await stream.NextEventAsync()).Id!;
            for (var i = 0; i < 3; i++)
            {
                expected.Add(await client.CreateUserAsync("buyer"));
            }
        }

        await using var after = new TestApp(dialect, database);
        var reader = await after.ClientWithScopesAsync("read");
        await using var resumed = await SseClient.OpenAsync(reader, "/api/v1/events?types=user.created", lastEventId: lastId);
        var received = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            received.Add((await resumed.NextEventAsync()).Json.GetProperty("resource_id").GetString()!);
        }

        Assert.Equal(expected, received);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Filters_by_type_wildcard_resource_and_user_and_sends_retry_and_heartbeats(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var client = await app.WriterAsync();
        var buyer = await client.CreateUserAsync("buyer");
        var seller = await client.CreateUserAsync("seller");

        await using var orders = await SseClient.OpenAsync(client, "/api/v1/events?types=order.*");
        var hint = await orders.NextAsync();
        Assert.Equal("3000", hint.Retry);
        await using var byUser = await SseClient.OpenAsync(client, $"/api/v1/events?user_id={seller}&resource_type=order");
        var order = await client.CreateOrderAsync(buyer, seller, "10.00");

        var created = await orders.NextEventAsync();
        Assert.Equal(("order.created", order), (created.Event, created.Json.GetProperty("resource_id").GetString()));
        Assert.Equal("order.created", (await byUser.NextEventAsync()).Event);
        await client.CreateUserAsync("buyer");
        var ping = await orders.NextAsync(timeoutMs: 5_000);
        Assert.Equal(("ping", null), (ping.Comment, ping.Event));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Many_streams_with_different_filters_each_get_exactly_their_events_in_sequence(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var client = await app.WriterAsync();
        var users = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            users.Add(await client.CreateUserAsync(i % 2 == 0 ? "buyer" : "seller"));
        }

        // Streams start after the newest sequenced event: let the sequencer number the users' events first.
        await using (var db = await app.OpenDbAsync())
        {
            await Eventually.UntilAsync(() => db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events WHERE seq IS NULL", null, CancellationToken.None),
                unsequenced => unsequenced == 0, unsequenced => $"{unsequenced} events were not sequenced");
        }

        // One stream per user (its orders), and as many that watch every user.created: all served by the one tail.
        var byUser = await Task.WhenAll(users.Select(u => SseClient.OpenAsync(client, $"/api/v1/events?user_id={u}")));
        var everyCreated = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => SseClient.OpenAsync(client, "/api/v1/events?types=user.created")));
        foreach (var stream in byUser.Concat(everyCreated))
        {
            await stream.NextAsync();
        }

        var created = new List<string>();
        var orders = new List<(string Order, string Buyer, string Seller)>();
        for (var i = 0; i < 10; i++)
        {
            created.Add(await client.CreateUserAsync("buyer"));
            var (buyer, seller) = (users[2 * i], users[(2 * i) + 1]);
            orders.Add((await client.CreateOrderAsync(buyer, seller, "10.00"), buyer, seller));
        }

        foreach (var stream in everyCreated)
        {
            var received = new List<string>();
            while (received.Count < created.Count)
            {
                var message = await stream.NextEventAsync();
                Assert.Equal("user.created", message.Event);
                received.Add(message.Json.GetProperty("resource_id").GetString()!);
            }

            Assert.Equal(created, received);
        }

        for (var i = 0; i < users.Count; i++)
        {
            var message = await byUser[i].NextEventAsync();
            Assert.Equal(("order.created", orders[i / 2].Order), (message.Event, message.Json.GetProperty("resource_id").GetString()));
            Assert.Contains(users[i], message.Json.GetProperty("user_ids").EnumerateArray().Select(u => u.GetString()));
        }

        // Nothing else reached any stream: neither the other users' orders nor a second copy.
        await Task.WhenAll(byUser.Concat(everyCreated).Select(stream => Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.NextEventAsync(timeoutMs: 500))));
        foreach (var stream in byUser.Concat(everyCreated))
        {
            await stream.DisposeAsync();
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_subscriber_that_stops_reading_holds_up_no_other_and_later_gets_every_event_in_order(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var client = await app.WriterAsync();
        await using var reading = await SseClient.OpenAsync(client, "/api/v1/events?types=user.created");
        await reading.NextAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events?types=user.created");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var stalled = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        // Far more than the response's buffer holds (about 64 KiB in the test server, ~400 bytes a
        // frame): the stalled stream's writes block while the other one goes on.
        const int Count = 400;
        var created = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            var writer = await app.WriterAsync();
            for (var i = 0; i < Count / 4; i++)
            {
                created.Enqueue(await writer.CreateUserAsync("buyer"));
            }
        }));

        var delivered = new List<string>();
        while (delivered.Count < Count)
        {
            var message = await reading.NextEventAsync();
            delivered.Add(message.Id!);
            Assert.Contains(message.Json.GetProperty("resource_id").GetString(), created);
        }

        // The stalled subscriber, once it reads, gets the very same events in the same order.
        using var stalledReader = new StreamReader(await stalled.Content.ReadAsStreamAsync());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var late = new List<string>();
        while (late.Count < Count && await stalledReader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                late.Add(line[4..]);
            }
        }

        Assert.Equal(delivered, late);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task One_stream_per_user_per_key_and_bad_filters_are_refused(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var client = await app.ClientWithScopesAsync("read");
        var user = (await (await (await app.WriterAsync()).PostNewAsync("/api/v1/users", new { external_user_id = "s-" + Guid.NewGuid().ToString("N"), type = "buyer" }))
            .OkAsync(HttpStatusCode.Created)).Str("id");

        await using var first = await SseClient.OpenAsync(client, $"/api/v1/events?user_id={user}");
        await first.NextAsync();
        await using var second = await SseClient.OpenAsync(client, $"/api/v1/events?user_id={user}");
        await second.Response.ErrorAsync(429, "RATE_LIMITED");
        await using var bad = await SseClient.OpenAsync(client, "/api/v1/events?types=ORDER!");
        await bad.Response.ErrorAsync(400, "VALIDATION_ERROR");
    }

    private static async Task<string?> LatestEventIdAsync(HttpClient client, string userId)
    {
        var page = await (await client.GetAsync($"/api/v1/events?user_id={userId}&limit=100")).OkAsync();
        return page.GetProperty("data").EnumerateArray().Select(e => e.Str("id")).LastOrDefault();
    }

    /// <summary>The user.created events after the cursor, in sequence order, once the sequencer has
    /// numbered at least <paramref name="count"/> of them.</summary>
    private static async Task<List<string>> WaitForSequencedAsync(OfferHub.Lite.Infrastructure.Database.Db db, string? cursor, int count) =>
        [.. await Eventually.UntilAsync(
            () => db.QueryAsync<string>(
                "SELECT id FROM events WHERE type = 'user.created' AND seq > (SELECT seq FROM events WHERE id = @cursor) ORDER BY seq", new { cursor }, CancellationToken.None),
            ids => ids.Count >= count, ids => $"only {ids.Count} of {count} events were sequenced", timeoutMs: 10_000)];
}
