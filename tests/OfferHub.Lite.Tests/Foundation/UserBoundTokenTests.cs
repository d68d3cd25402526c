using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OfferHub.Lite.Infrastructure.Stellar;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

/// <summary>The scope matrix of a token bound to one user (POST /auth/token with user_id): for
/// every operation, the user's own resource where a browser may read or sign it, another user's
/// resource the same 404 as a missing one, and 403 INSUFFICIENT_SCOPE for everything else.</summary>
public sealed class UserBoundTokenTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string Missing = "00000000000000000000000000";

    private enum Access
    {
        /// <summary>Not the token's business: 403.</summary>
        Forbidden,

        /// <summary>An item route: the own resource answers, another user's is 404.</summary>
        Own,

        /// <summary>A list filtered to the token's user; another user's id in the filter is 404.</summary>
        Filtered,

        /// <summary>Answers about the token itself.</summary>
        Itself,

        /// <summary>No token involved (health, signed provider webhooks).</summary>
        NotApplicable,
    }

    /// <summary>Each operation as (method, path with {placeholders}, access). The guard test below
    /// keeps it in step with the routes the app maps.</summary>
    private static readonly (string Method, string Path, Access Access)[] Operations =
    [
        ("GET", "/api/v1/health", Access.NotApplicable),
        ("GET", "/api/v1/health/live", Access.NotApplicable),
        ("GET", "/api/v1/health/ready", Access.NotApplicable),
        ("POST", "/api/v1/webhooks/airtm", Access.NotApplicable),
        ("POST", "/api/v1/webhooks/trustless-work", Access.NotApplicable),
        ("GET", "/api/v1/me", Access.Itself),
        ("GET", "/api/v1/config", Access.Forbidden),
        ("POST", "/api/v1/auth/api-keys", Access.Forbidden),
        ("GET", "/api/v1/auth/api-keys", Access.Forbidden),
        ("DELETE", "/api/v1/auth/api-keys/key_" + Missing, Access.Forbidden),
        ("POST", "/api/v1/auth/token", Access.Forbidden),
        ("POST", "/api/v1/users", Access.Forbidden),
        ("GET", "/api/v1/users", Access.Forbidden),
        ("GET", "/api/v1/users/{user}", Access.Own),
        ("GET", "/api/v1/users/{user}/balance", Access.Own),
        ("GET", "/api/v1/users/{user}/ledger", Access.Own),
        ("POST", "/api/v1/users/{user}/airtm/link", Access.Forbidden),
        ("POST", "/api/v1/users/{user}/stellar/link", Access.Forbidden),
        ("GET", "/api/v1/audit/logs", Access.Forbidden),
        ("GET", "/api/v1/events", Access.Filtered),
        ("POST", "/api/v1/sandbox/credits", Access.Forbidden),
        ("POST", "/api/v1/orders", Access.Forbidden),
        ("GET", "/api/v1/orders", Access.Filtered),
        ("GET", "/api/v1/orders/{order}", Access.Own),
        ("GET", "/api/v1/orders/{order}/history", Access.Own),
        ("POST", "/api/v1/orders/{order}/reserve", Access.Forbidden),
        ("POST", "/api/v1/orders/{order}/cancel", Access.Forbidden),
        ("POST", "/api/v1/orders/{order}/escrow", Access.Forbidden),
        ("GET", "/api/v1/orders/{order}/escrow", Access.Own),
        ("POST", "/api/v1/orders/{order}/escrow/fund", Access.Forbidden),
        ("POST", "/api/v1/orders/{order}/milestones/m1/complete", Access.Forbidden),
        ("POST", "/api/v1/orders/{order}/release", Access.Forbidden),
        ("POST", "/api/v1/orders/{order}/refund", Access.Forbidden),
        ("POST", "/api/v1/orders/{order}/disputes", Access.Forbidden),
        ("POST", "/api/v1/topups", Access.Forbidden),
        ("GET", "/api/v1/topups", Access.Filtered),
        ("GET", "/api/v1/topups/{topup}", Access.Own),
        ("POST", "/api/v1/topups/{topup}/refresh", Access.Forbidden),
        ("POST", "/api/v1/topups/{topup}/cancel", Access.Forbidden),
        ("POST", "/api/v1/withdrawals", Access.Forbidden),
        ("GET", "/api/v1/withdrawals", Access.Filtered),
        ("GET", "/api/v1/withdrawals/{withdrawal}", Access.Own),
        ("POST", "/api/v1/withdrawals/{withdrawal}/commit", Access.Forbidden),
        ("POST", "/api/v1/withdrawals/{withdrawal}/cancel", Access.Forbidden),
        ("POST", "/api/v1/withdrawals/{withdrawal}/refresh", Access.Forbidden),
        ("GET", "/api/v1/disputes", Access.Forbidden),
        ("GET", "/api/v1/disputes/{dispute}", Access.Own),
        ("POST", "/api/v1/disputes/{dispute}/assign", Access.Forbidden),
        ("POST", "/api/v1/disputes/{dispute}/comment", Access.Forbidden),
        ("GET", "/api/v1/disputes/{dispute}/comments", Access.Forbidden),
        ("POST", "/api/v1/disputes/{dispute}/resolve", Access.Forbidden),
        ("GET", "/api/v1/signatures", Access.Filtered),
        ("GET", "/api/v1/signatures/{signature}", Access.Own),
        ("POST", "/api/v1/signatures/{signature}/submit", Access.Own),
        ("POST", "/api/v1/webhook-endpoints", Access.Forbidden),
        ("GET", "/api/v1/webhook-endpoints", Access.Forbidden),
        ("DELETE", "/api/v1/webhook-endpoints/whe_" + Missing, Access.Forbidden),
        ("GET", "/api/v1/webhook-endpoints/whe_" + Missing + "/deliveries", Access.Forbidden),
        ("POST", "/api/v1/webhook-deliveries/whd_" + Missing + "/retry", Access.Forbidden),
    ];

    /// <summary>One user's resources of every kind: a top-up, a withdrawal, an order with a
    /// dispute, and an order whose refund waits for the user's own signature.</summary>
    private sealed record World(string User, string Topup, string Withdrawal, string DisputedOrder, string Dispute, string SigningOrder, string Signature, string StellarAddress)
    {
        public string Fill(string path) => path
            .Replace("{user}", User, StringComparison.Ordinal).Replace("{topup}", Topup, StringComparison.Ordinal)
            .Replace("{withdrawal}", Withdrawal, StringComparison.Ordinal).Replace("{order}", DisputedOrder, StringComparison.Ordinal)
            .Replace("{dispute}", Dispute, StringComparison.Ordinal).Replace("{signature}", Signature, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_user_bound_token_reaches_only_its_users_resources_and_nothing_else(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var backend = await app.WriterAsync();
        await (await backend.PostAsync($"{Escrow.Control}/signing", new { hold = false })).EnsureNoContentAsync();
        var mine = await WorldAsync(backend);
        var theirs = await WorldAsync(backend);
        await (await backend.PostAsync($"{Escrow.Control}/signing", new { hold = true })).EnsureNoContentAsync();
        try
        {
            mine = await WithPendingSignatureAsync(backend, mine);
            theirs = await WithPendingSignatureAsync(backend, theirs);
        }
        finally
        {
            await (await backend.PostAsync($"{Escrow.Control}/signing", new { hold = false })).EnsureNoContentAsync();
        }

        var minted = await (await app.Master().PostAsync("/api/v1/auth/token", new { scopes = new[] { "read", "write" }, user_id = mine.User, ttl_seconds = 600 }))
            .OkAsync(HttpStatusCode.Created);
        Assert.Equal(mine.User, minted.Str("user_id"));
        var browser = app.Client(minted.Str("token"));

        foreach (var (method, path, access) in Operations)
        {
            var what = $"{method} {path}";
            switch (access)
            {
                case Access.NotApplicable:
                    break;
                case Access.Itself:
                    var me = await (await browser.GetAsync(path)).OkAsync();
                    Assert.Equal(mine.User, me.GetProperty("api_key").Str("user_id"));
                    break;
                case Access.Forbidden:
                    var denied = await (await browser.SendAsync(Request(method, mine.Fill(path)))).ErrorAsync(403, "INSUFFICIENT_SCOPE");
                    Assert.True(denied.TryGetProperty("required_scope", out _), what);
                    Assert.Equal(["read", "write"], denied.GetProperty("current_scopes").EnumerateArray().Select(s => s.GetString()));
                    break;
                case Access.Own:
                    await OwnAsync(browser, backend, method, path, mine, theirs);
                    break;
                case Access.Filtered:
                    await FilteredAsync(browser, path, mine, theirs);
                    break;
            }
        }

        // The signature it may submit is its own, and submitting it lets the refund go on.
        Assert.Equal("CONFIRMED", (await (await backend.GetAsync($"/api/v1/signatures/{mine.Signature}")).OkAsync()).Str("status"));
        Assert.Equal("PENDING", (await (await backend.GetAsync($"/api/v1/signatures/{theirs.Signature}")).OkAsync()).Str("status"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task The_event_stream_of_a_user_bound_token_carries_only_its_users_events(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var backend = await app.WriterAsync();
        var mine = await backend.CreateUserAsync();
        var theirs = await backend.CreateUserAsync();
        var token = (await (await app.Master().PostAsync("/api/v1/auth/token", new { scopes = new[] { "read" }, user_id = mine })).OkAsync(HttpStatusCode.Created)).Str("token");

        await using var stream = await SseClient.OpenAsync(app.Client(token), "/api/v1/events?types=balance.*");
        await backend.CreditAsync(theirs, "2.00");
        await backend.CreditAsync(mine, "1.00");
        var first = await stream.NextEventAsync();
        Assert.Equal(mine, first.Json.GetProperty("data").Str("user_id"));
        Assert.Equal("1.00", first.Json.GetProperty("data").Str("amount"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Minting_a_user_bound_token_checks_the_user_its_scopes_and_its_lifetime(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var user = await (await app.WriterAsync()).CreateUserAsync();
        await (await app.Master().PostAsync("/api/v1/auth/token", new { scopes = new[] { "read" }, user_id = "usr_" + Missing })).ErrorAsync(404, "USER_NOT_FOUND");
        await (await app.Master().PostAsync("/api/v1/auth/token", new { scopes = new[] { "read", "support" }, user_id = user })).ErrorAsync(400, "VALIDATION_ERROR");
        await (await app.Master().PostAsync("/api/v1/auth/token", new { scopes = new[] { "read" }, user_id = user, ttl_seconds = 7200 })).ErrorAsync(400, "VALIDATION_ERROR");

        // Without write the token cannot even submit its own signatures.
        var reader = app.Client((await (await app.Master().PostAsync("/api/v1/auth/token", new { scopes = new[] { "read" }, user_id = user })).OkAsync(HttpStatusCode.Created)).Str("token"));
        var details = await (await reader.PostNewAsync($"/api/v1/signatures/sig_{Missing}/submit", new { signed_xdr = "x" })).ErrorAsync(403, "INSUFFICIENT_SCOPE");
        Assert.Equal("write", details.Str("required_scope"));
    }

    [SkippableFact]
    public void The_matrix_lists_every_mapped_api_route()
    {
        var app = fixture.Get(Dialect.Sqlite);
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/v1", StringComparison.Ordinal));
        foreach (var route in routes)
        {
            var method = route.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single();
            var pattern = route.RoutePattern.RawText!.TrimEnd('/');
            Assert.True(Operations.Any(o => o.Method == method && Matches(pattern, o.Path)), $"{method} {pattern} is missing from the user-bound token matrix");
        }
    }

    private static async Task OwnAsync(HttpClient browser, HttpClient backend, string method, string path, World mine, World theirs)
    {
        if (method == "POST")
        {
            // Submitting: the other user's request first (404, nothing happens), then its own.
            await (await browser.SendAsync(Request(method, theirs.Fill(path), new { signed_xdr = "x" }))).ErrorAsync(404, "SIGNATURE_NOT_FOUND");
            var unsigned = (await (await browser.GetAsync($"/api/v1/signatures/{mine.Signature}")).OkAsync()).Str("unsigned_xdr");
            var signed = (await (await backend.PostAsync($"{Escrow.Control}/sign", new { unsigned_xdr = unsigned, signer_address = mine.StellarAddress })).OkAsync()).Str("signed_xdr");
            await (await browser.SendAsync(Request(method, mine.Fill(path), new { signed_xdr = signed }))).OkAsync();
            return;
        }

        var own = await (await browser.GetAsync(mine.Fill(path))).OkAsync();
        Assert.NotEqual(JsonValueKind.Undefined, own.ValueKind);
        var other = await browser.GetAsync(theirs.Fill(path));
        var code = (await other.JsonAsync()).GetProperty("error").Str("code");
        await other.ErrorAsync(404, code);
        Assert.EndsWith("_NOT_FOUND", code, StringComparison.Ordinal);

        // Exactly what an id that does not exist gets: the token learns nothing about others.
        var missing = MissingIdPath(theirs.Fill(path));
        await (await browser.GetAsync(missing)).ErrorAsync(404, code);
    }

    private static async Task FilteredAsync(HttpClient browser, string path, World mine, World theirs)
    {
        var own = await (await browser.GetAsync(path + "?limit=100")).OkAsync();
        var text = own.GetRawText();
        Assert.DoesNotContain(theirs.User, text, StringComparison.Ordinal);
        Assert.NotEmpty(own.GetProperty("data").EnumerateArray());
        await (await browser.GetAsync($"{path}?user_id={mine.User}")).OkAsync();
        await (await browser.GetAsync($"{path}?user_id={theirs.User}")).ErrorAsync(404, "USER_NOT_FOUND");
        await (await browser.GetAsync($"{path}?user_id=usr_{Missing}")).ErrorAsync(404, "USER_NOT_FOUND");
    }

    /// <summary>The path with its resource id replaced by a well-formed id that names nothing.</summary>
    private static string MissingIdPath(string path)
    {
        var segments = path.Split('/');
        var index = Array.FindLastIndex(segments, s => s.Contains('_', StringComparison.Ordinal));
        segments[index] = segments[index][..(segments[index].IndexOf('_', StringComparison.Ordinal) + 1)] + Missing;
        return string.Join('/', segments);
    }

    private static HttpRequestMessage Request(string method, string path, object? body = null) =>
        method == "GET" || method == "DELETE" ? new HttpRequestMessage(new HttpMethod(method), path) : Http.Json(new HttpMethod(method), path, body ?? new { }, Guid.NewGuid().ToString());

    private static async Task<World> WorldAsync(HttpClient backend)
    {
        var user = await backend.CreateUserAsync();
        var seller = await backend.CreateUserAsync("seller");
        var address = StellarAddress.FromPublicKey(RandomNumberGenerator.GetBytes(32));
        await (await backend.PostNewAsync($"/api/v1/users/{user}/stellar/link", new { stellar_address = address })).OkAsync();
        await backend.LinkAirtmAsync(user);
        await backend.CreditAsync(user, "100.00");
        var topup = (await backend.CreateTopupAsync(user, "10.00")).Str("id");
        var withdrawal = (await (await backend.PostNewAsync("/api/v1/withdrawals", new { user_id = user, amount = "5.00", currency = "USD" })).OkAsync(HttpStatusCode.Created)).Str("id");
        var disputed = await FundedOrderAsync(backend, user, seller);
        var dispute = (await (await backend.PostNewAsync($"/api/v1/orders/{disputed}/disputes", new { opened_by = "buyer", reason = "not delivered" }))
            .OkAsync(HttpStatusCode.Created)).Str("dispute_id");
        var signing = await FundedOrderAsync(backend, user, seller);
        return new World(user, topup, withdrawal, disputed, dispute, signing, string.Empty, address);
    }

    /// <summary>A refund of the second order starts with a dispute step the buyer's own key signs.</summary>
    private static async Task<World> WithPendingSignatureAsync(HttpClient backend, World world)
    {
        await (await backend.PostNewAsync($"/api/v1/orders/{world.SigningOrder}/refund", new { mode = "FULL" })).OkAsync();
        var pending = (await (await backend.GetAsync($"/api/v1/signatures?order_id={world.SigningOrder}&status=PENDING")).OkAsync()).GetProperty("data")[0];
        Assert.Equal(world.StellarAddress, pending.Str("signer_address"));
        return world with { Signature = pending.Str("id") };
    }

    private static async Task<string> FundedOrderAsync(HttpClient backend, string buyer, string seller)
    {
        var order = await backend.CreateOrderAsync(buyer, seller, "10.00");
        await (await backend.PostNewAsync($"/api/v1/orders/{order}/reserve", new { amount = "10.00" })).OkAsync();
        await (await backend.PostNewAsync($"/api/v1/orders/{order}/escrow", new { })).OkAsync();
        await (await backend.PostNewAsync($"/api/v1/orders/{order}/escrow/fund", null)).OkAsync();
        return order;
    }

    private static bool Matches(string pattern, string path)
    {
        var a = pattern.Split('/');
        var b = path.Split('/');
        return a.Length == b.Length && a.Zip(b).All(p => p.First == p.Second || p.First.StartsWith('{'));
    }
}
