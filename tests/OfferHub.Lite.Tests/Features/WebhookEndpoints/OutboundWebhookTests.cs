using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.WebhookEndpoints;

/// <summary>Outbound webhooks: Standard Webhooks signatures checked by this test's own
/// implementation, the retry schedule on a controllable clock, 410, manual retry, and nothing
/// lost or repeated across a restart.</summary>
public sealed class OutboundWebhookTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Matching_events_arrive_signed_by_the_standard_webhooks_scheme(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var url = $"https://backend.example/hooks/{Guid.NewGuid():N}";
        var endpoint = await (await app.Master().PostAsync("/api/v1/webhook-endpoints", new { url, types = new[] { "user.*" }, description = "backend" }))
            .OkAsync(HttpStatusCode.Created);
        var secret = endpoint.Str("secret");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.True(Convert.FromBase64String(secret["whsec_".Length..]).Length >= 24);

        var client = await app.WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        await client.CreateOrderAsync(user, await client.CreateUserAsync("seller"), "5.00");
        var received = await WaitForAsync(app, url, 2);

        Assert.All(received, r => Assert.Equal("user.created", JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()));
        var first = received[0];
        var body = JsonDocument.Parse(first.Body).RootElement;
        Assert.Equal(first.Headers["webhook-id"], body.GetProperty("data").GetProperty("id").GetString());
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]),
            Encoding.UTF8.GetBytes($"{first.Headers["webhook-id"]}.{first.Headers["webhook-timestamp"]}.{first.Body}")));
        Assert.Equal(expected, first.Headers["webhook-signature"]);
        Assert.True(Math.Abs(long.Parse(first.Headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture) - app.Clock.GetUtcNow().ToUnixTimeSeconds()) < 60);

        var listed = await (await app.Master().GetAsync("/api/v1/webhook-endpoints")).OkAsync();
        Assert.DoesNotContain(secret, listed.GetRawText(), StringComparison.Ordinal);
        var deliveries = await WaitForDeliveredAsync(app, endpoint.Str("id"), 2);
        Assert.All(deliveries, d => Assert.Equal(200, d.GetProperty("attempt_log")[0].GetProperty("status_code").GetInt32()));
        await (await app.Master().DeleteAsync($"/api/v1/webhook-endpoints/{endpoint.Str("id")}")).OkAsync();
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Every_matching_event_of_one_request_is_delivered_to_each_endpoint_it_matches(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var orders = $"https://backend.example/orders/{Guid.NewGuid():N}";
        var balances = $"https://backend.example/balances/{Guid.NewGuid():N}";
        var orderEndpoint = (await (await app.Master().PostAsync("/api/v1/webhook-endpoints", new { url = orders, types = new[] { "order.*" } })).OkAsync(HttpStatusCode.Created)).Str("id");
        var balanceEndpoint = (await (await app.Master().PostAsync("/api/v1/webhook-endpoints", new { url = balances, types = new[] { "balance.reserved" } })).OkAsync(HttpStatusCode.Created)).Str("id");

        // A reserve writes three events in one transaction: two for the order, one for the buyer's balance.
        var parties = await (await app.WriterAsync()).ReservedOrderAsync("20.00", "7.00");

        string[] TypesAbout(string url, string id) =>
            [.. app.Receiver.For(url).Select(r => JsonDocument.Parse(r.Body).RootElement)
                .Where(e => e.GetProperty("data").GetRawText().Contains(id, StringComparison.Ordinal))
                .Select(e => e.GetProperty("type").GetString()!).Order(StringComparer.Ordinal)];
        var orderTypes = await Eventually.UntilAsync(() => Task.FromResult(TypesAbout(orders, parties.Order)), types => types.Length >= 3,
            types => $"the order endpoint got only [{string.Join(", ", types)}]");
        var balanceTypes = await Eventually.UntilAsync(() => Task.FromResult(TypesAbout(balances, parties.Buyer)), types => types.Length >= 1,
            types => "the balance endpoint got nothing");

        Assert.Equal(["order.created", "order.funds_reserved", "order.state_changed"], orderTypes);
        Assert.Equal(["balance.reserved"], balanceTypes);
        await (await app.Master().DeleteAsync($"/api/v1/webhook-endpoints/{orderEndpoint}")).OkAsync();
        await (await app.Master().DeleteAsync($"/api/v1/webhook-endpoints/{balanceEndpoint}")).OkAsync();
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_receiver_failing_three_times_gets_the_event_exactly_once_more_on_the_schedule(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var url = $"https://backend.example/hooks/{Guid.NewGuid():N}";
        app.Receiver.Script(url, HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable, HttpStatusCode.Redirect);
        var endpoint = (await (await app.Master().PostAsync("/api/v1/webhook-endpoints", new { url, types = new[] { "user.created" } })).OkAsync(HttpStatusCode.Created)).Str("id");
        var client = await app.WriterAsync();
        await client.CreateUserAsync("buyer");

        await WaitForAsync(app, url, 1);
        var delivery = (await WaitForAttemptsAsync(app, endpoint, 1)).GetProperty("id").GetString()!;
        var next = DateTimeOffset.Parse((await DeliveryAsync(app, endpoint)).Str("next_attempt_at"), System.Globalization.CultureInfo.InvariantCulture);
        var wait = next - app.Clock.GetUtcNow();
        Assert.InRange(wait.TotalSeconds, 3.5, 5.5);

        foreach (var (advance, attempts) in new[] { (TimeSpan.FromSeconds(6), 2), (TimeSpan.FromMinutes(6), 3), (TimeSpan.FromMinutes(34), 4) })
        {
            // Nothing is sent before the schedule says so.
            Assert.Equal(attempts - 1, app.Receiver.For(url).Count);
            app.Clock.Advance(advance);
            await WaitForAsync(app, url, attempts);
        }

        // The receiver has the fourth request; the outcome is recorded once its answer is back.
        var done = await WaitForStatusAsync(app, endpoint, "DELIVERED");
        Assert.Equal((delivery, "DELIVERED", 4), (done.Str("id"), done.Str("status"), done.GetProperty("attempts").GetInt32()));
        Assert.Equal([500, 503, 302, 200], done.GetProperty("attempt_log").EnumerateArray().Select(a => a.GetProperty("status_code").GetInt32()).ToArray());
        Assert.Single(app.Receiver.For(url), r => r.AnsweredWith == HttpStatusCode.OK);
        // Delivered: nothing is scheduled any more.
        Assert.Equal(JsonValueKind.Null, done.GetProperty("next_attempt_at").ValueKind);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_410_disables_the_endpoint_and_a_failed_delivery_can_be_retried_by_hand(Dialect dialect)
    {
        _ = fixture.Get(dialect);
        await using var app = new TestApp(dialect, fixture.NewDatabaseUrl(dialect), new Dictionary<string, string?> { ["OfferHub:Webhooks:RetryScheduleSeconds:0"] = "1" });
        var gone = $"https://backend.example/gone/{Guid.NewGuid():N}";
        var flaky = $"https://backend.example/flaky/{Guid.NewGuid():N}";
        app.Receiver.Script(gone, HttpStatusCode.Gone);
        app.Receiver.Script(flaky, HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError);
        var goneId = (await (await app.Master().PostAsync("/api/v1/webhook-endpoints", new { url = gone, types = new[] { "*" } })).OkAsync(HttpStatusCode.Created)).Str("id");
        var flakyId = (await (await app.Master().PostAsync("/api/v1/webhook-endpoints", new { url = flaky, types = new[] { "user.created" } })).OkAsync(HttpStatusCode.Created)).Str("id");
        var client = await app.WriterAsync();
        await client.CreateUserAsync("buyer");

        var disabled = await WaitForStatusAsync(app, goneId, "FAILED");
        Assert.Equal(410, disabled.GetProperty("last_status").GetInt32());
        var endpoints = await (await app.Master().GetAsync("/api/v1/webhook-endpoints")).OkAsync();
        Assert.Equal("DISABLED", endpoints.GetProperty("data").EnumerateArray().Single(e => e.Str("id") == goneId).Str("status"));

        // Two 500s against a one-retry schedule: the delivery fails; by hand it is tried again.
        var failed = await WaitForStatusAsync(app, flakyId, "FAILED");
        Assert.Equal(2, failed.GetProperty("attempts").GetInt32());
        await (await app.Master().PostAsync($"/api/v1/webhook-deliveries/{failed.Str("id")}/retry", null)).OkAsync();
        Assert.Equal(3, (await WaitForStatusAsync(app, flakyId, "DELIVERED")).GetProperty("attempts").GetInt32());

        // A disabled endpoint gets nothing more.
        await client.CreateUserAsync("buyer");
        await WaitForAsync(app, flaky, 4);
        Assert.Single(app.Receiver.For(gone));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Events_committed_before_a_restart_are_all_delivered_after_it(Dialect dialect)
    {
        _ = fixture.Get(dialect);
        var database = fixture.NewDatabaseUrl(dialect);
        var receiver = new WebhookReceiver();
        var url = $"https://backend.example/restart/{Guid.NewGuid():N}";
        string endpoint;
        await using (var before = new TestApp(dialect, database, receiver: receiver))
        {
            endpoint = (await (await before.Master().PostAsync("/api/v1/webhook-endpoints", new { url, types = new[] { "user.created" } })).OkAsync(HttpStatusCode.Created)).Str("id");
            var client = await before.WriterAsync();
            for (var i = 0; i < 5; i++)
            {
                await client.CreateUserAsync("buyer");
            }
        }

        await using var after = new TestApp(dialect, database, receiver: receiver);
        var delivered = await WaitForDeliveredAsync(after, endpoint, 5);
        Assert.Equal(5, delivered.Count);
        // At least once: a delivery cut off by the shutdown may be sent again, under the same webhook-id.
        Assert.Equal(5, receiver.For(url).Select(r => r.Headers["webhook-id"]).Distinct().Count());
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Only_https_urls_are_accepted_and_only_by_the_master_key(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        await (await app.Master().PostAsync("/api/v1/webhook-endpoints", new { url = "http://backend.example/hook", types = new[] { "*" } })).ErrorAsync(400, "VALIDATION_ERROR");
        await (await app.Master().PostAsync("/api/v1/webhook-endpoints", new { url = "https://backend.example/hook", types = new[] { "Not A Type" } })).ErrorAsync(400, "VALIDATION_ERROR");
        await (await app.Master().PostAsync("/api/v1/webhook-endpoints", new { url = "http://localhost:3000/hook", types = new[] { "*" } })).OkAsync(HttpStatusCode.Created);
        await (await (await app.WriterAsync()).PostAsync("/api/v1/webhook-endpoints", new { url = "https://backend.example/hook", types = new[] { "*" } })).ErrorAsync(403, "INSUFFICIENT_SCOPE");
    }

    private static Task<IReadOnlyList<WebhookReceiver.Received>> WaitForAsync(TestApp app, string url, int count) => app.Receiver.WaitForAsync(url, count);

    private static async Task<List<JsonElement>> DeliveriesAsync(TestApp app, string endpoint) =>
        [.. (await (await app.Master().GetAsync($"/api/v1/webhook-endpoints/{endpoint}/deliveries")).OkAsync()).GetProperty("data").EnumerateArray()];

    private static async Task<JsonElement> DeliveryAsync(TestApp app, string endpoint) => (await DeliveriesAsync(app, endpoint))[0];

    private static async Task<JsonElement> WaitForAttemptsAsync(TestApp app, string endpoint, int attempts) =>
        (await Eventually.UntilAsync(() => DeliveriesAsync(app, endpoint), page => page.Count > 0 && page[0].GetProperty("attempts").GetInt32() >= attempts,
            _ => $"no delivery of {endpoint} reached {attempts} attempts"))[0];

    private static async Task<JsonElement> WaitForStatusAsync(TestApp app, string endpoint, string status) =>
        (await Eventually.UntilAsync(() => DeliveriesAsync(app, endpoint), page => page.Any(d => d.Str("status") == status),
            _ => $"the delivery of {endpoint} did not become {status}")).First(d => d.Str("status") == status);

    private static async Task<IReadOnlyList<JsonElement>> WaitForDeliveredAsync(TestApp app, string endpoint, int count) =>
        (await Eventually.UntilAsync(() => DeliveriesAsync(app, endpoint), page => page.Count(d => d.Str("status") == "DELIVERED") >= count,
            page => $"{page.Count(d => d.Str("status") == "DELIVERED")} of {count} deliveries of {endpoint} were delivered"))
        .Where(d => d.Str("status") == "DELIVERED").ToList();
}
