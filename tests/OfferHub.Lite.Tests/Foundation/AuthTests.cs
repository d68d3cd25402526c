using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

public sealed class AuthTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    /// <summary>Every endpoint so far with the scope it needs; a guard test below keeps this
    /// table in step with the routes the app really maps.</summary>
    public static readonly (string Method, string Path, string Scope)[] Endpoints =
    [
        ("GET", "/api/v1/health", "none"),
        ("GET", "/api/v1/health/live", "none"),
        ("GET", "/api/v1/health/ready", "none"),
        ("GET", "/api/v1/me", "*"),
        ("GET", "/api/v1/config", "read"),
        ("POST", "/api/v1/auth/api-keys", "master"),
        ("GET", "/api/v1/auth/api-keys", "master"),
        ("DELETE", "/api/v1/auth/api-keys/key_00000000000000000000000000", "master"),
        ("POST", "/api/v1/auth/token", "master"),
        ("POST", "/api/v1/users", "write"),
        ("GET", "/api/v1/users", "read"),
        ("GET", "/api/v1/users/usr_00000000000000000000000000", "read"),
        ("GET", "/api/v1/audit/logs", "support"),
        ("GET", "/api/v1/events", "read"),
        ("GET", "/api/v1/users/usr_00000000000000000000000000/balance", "read"),
        ("GET", "/api/v1/users/usr_00000000000000000000000000/ledger", "read"),
        ("POST", "/api/v1/orders", "write"),
        ("GET", "/api/v1/orders", "read"),
        ("GET", "/api/v1/orders/ord_00000000000000000000000000", "read"),
        ("GET", "/api/v1/orders/ord_00000000000000000000000000/history", "read"),
        ("POST", "/api/v1/orders/ord_00000000000000000000000000/reserve", "write"),
        ("POST", "/api/v1/orders/ord_00000000000000000000000000/cancel", "write"),
        ("POST", "/api/v1/sandbox/credits", "write"),
        ("POST", "/api/v1/users/usr_00000000000000000000000000/airtm/link", "write"),
        ("POST", "/api/v1/topups", "write"),
        ("GET", "/api/v1/topups", "read"),
        ("GET", "/api/v1/topups/topup_00000000000000000000000000", "read"),
        ("POST", "/api/v1/topups/topup_00000000000000000000000000/refresh", "write"),
        ("POST", "/api/v1/topups/topup_00000000000000000000000000/cancel", "write"),
        ("POST", "/api/v1/withdrawals", "write"),
        ("GET", "/api/v1/withdrawals", "read"),
        ("GET", "/api/v1/withdrawals/wd_00000000000000000000000000", "read"),
        ("POST", "/api/v1/withdrawals/wd_00000000000000000000000000/commit", "write"),
        ("POST", "/api/v1/withdrawals/wd_00000000000000000000000000/cancel", "write"),
        ("POST", "/api/v1/withdrawals/wd_00000000000000000000000000/refresh", "write"),
        ("POST", "/api/v1/webhooks/airtm", "signed"),
        ("POST", "/api/v1/webhooks/trustless-work", "signed"),
        ("POST", "/api/v1/users/usr_00000000000000000000000000/stellar/link", "write"),
        ("POST", "/api/v1/orders/ord_00000000000000000000000000/escrow", "write"),
        ("GET", "/api/v1/orders/ord_00000000000000000000000000/escrow", "read"),
        ("POST", "/api/v1/orders/ord_00000000000000000000000000/escrow/fund", "write"),
        ("POST", "/api/v1/orders/ord_00000000000000000000000000/milestones/m1/complete", "write"),
        ("POST", "/api/v1/orders/ord_00000000000000000000000000/release", "write"),
        ("POST", "/api/v1/orders/ord_00000000000000000000000000/refund", "write"),
        ("POST", "/api/v1/orders/ord_00000000000000000000000000/disputes", "write"),
        ("GET", "/api/v1/disputes", "read"),
        ("GET", "/api/v1/disputes/dsp_00000000000000000000000000", "read"),
        ("POST", "/api/v1/disputes/dsp_00000000000000000000000000/assign", "support"),
        ("POST", "/api/v1/disputes/dsp_00000000000000000000000000/comment", "support"),
        ("GET", "/api/v1/disputes/dsp_00000000000000000000000000/comments", "support"),
        ("POST", "/api/v1/disputes/dsp_00000000000000000000000000/resolve", "support"),
        ("GET", "/api/v1/signatures", "read"),
        ("GET", "/api/v1/signatures/sig_00000000000000000000000000", "read"),
        ("POST", "/api/v1/signatures/sig_00000000000000000000000000/submit", "write"),
        ("POST", "/api/v1/webhook-endpoints", "master"),
        ("GET", "/api/v1/webhook-endpoints", "master"),
        ("DELETE", "/api/v1/webhook-endpoints/whe_00000000000000000000000000", "master"),
        ("GET", "/api/v1/webhook-endpoints/whe_00000000000000000000000000/deliveries", "master"),
        ("POST", "/api/v1/webhook-deliveries/whd_00000000000000000000000000/retry", "master"),
    ];

    public static TheoryData<Dialect, string, string, string> Matrix()
    {
        var data = new TheoryData<Dialect, string, string, string>();
        foreach (var dialect in new[] { Dialect.Sqlite, Dialect.Postgres })
        {
            foreach (var (method, path, scope) in Endpoints)
            {
                data.Add(dialect, method, path, scope);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Matrix))]
    public async Task Every_endpoint_enforces_its_scope(Dialect dialect, string method, string path, string scope)
    {
        var app = fixture.Get(dialect);
        var request = () => new HttpRequestMessage(new HttpMethod(method), path);

        if (scope == "none")
        {
            Assert.Equal(HttpStatusCode.OK, (await app.Client().SendAsync(request())).StatusCode);
            return;
        }

        // Provider webhooks carry a signature instead of a token; an API key does not replace it.
        if (scope == "signed")
        {
            await (await app.Client().SendAsync(request())).ErrorAsync(401, "WEBHOOK_SIGNATURE_INVALID");
            await (await app.Master().SendAsync(request())).ErrorAsync(401, "WEBHOOK_SIGNATURE_INVALID");
            return;
        }

        await (await app.Client().SendAsync(request())).ErrorAsync(401, "UNAUTHORIZED");
        await (await app.Client("ohk_test_not-a-real-key-at-all-0000000000000").SendAsync(request())).ErrorAsync(401, "INVALID_API_KEY");
        await (await app.Client("garbage").SendAsync(request())).ErrorAsync(401, "INVALID_API_KEY");

        if (scope == "*")
        {
            Assert.Equal(HttpStatusCode.OK, (await app.Client(await app.CreateKeyAsync("read")).SendAsync(request())).StatusCode);
            return;
        }

        var others = Scopes.Grantable.Where(s => s != scope).ToArray();
        var lacking = await app.CreateKeyAsync(others);
        var details = await (await app.Client(lacking).SendAsync(request())).ErrorAsync(403, "INSUFFICIENT_SCOPE");
        Assert.Equal(scope, details.Str("required_scope"));
        Assert.Equal(others.Order(), details.GetProperty("current_scopes").EnumerateArray().Select(e => e.GetString()!).Order());

        // With the scope (or the master key for master routes) the request gets past auth.
        var allowed = scope == "master" ? app.Master() : app.Client(await app.CreateKeyAsync(scope));
        var status = (int)(await allowed.SendAsync(request())).StatusCode;
        Assert.True(status is not 401 and not 403, $"{method} {path} with '{scope}' answered {status}");
    }

    [SkippableFact]
    public void The_matrix_lists_every_mapped_api_route_and_each_declares_its_requirement()
    {
        var app = fixture.Get(Dialect.Sqlite);
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/v1", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(routes);
        foreach (var route in routes)
        {
            Assert.NotNull(route.Metadata.GetMetadata<AuthRequirement>());
            var method = route.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Single();
            var pattern = route.RoutePattern.RawText!.TrimEnd('/');
            Assert.Contains(Endpoints, e => e.Method == method && Matches(pattern, e.Path));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_revoked_key_stops_working_at_once(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var created = await (await app.Master().PostAsync("/api/v1/auth/api-keys", new { name = "to revoke", scopes = new[] { "read" } })).OkAsync(HttpStatusCode.Created);
        var client = app.Client(created.Str("api_key"));
        await (await client.GetAsync("/api/v1/config")).OkAsync();

        var revoked = await (await app.Master().DeleteAsync($"/api/v1/auth/api-keys/{created.Str("id")}")).OkAsync();
        Assert.Equal("revoked", revoked.Str("status"));
        await (await client.GetAsync("/api/v1/config")).ErrorAsync(401, "INVALID_API_KEY");

        var again = await (await app.Master().DeleteAsync($"/api/v1/auth/api-keys/{created.Str("id")}")).OkAsync();
        Assert.Equal(revoked.Str("revoked_at"), again.Str("revoked_at"));
        await (await app.Master().DeleteAsync("/api/v1/auth/api-keys/key_01aaaaaaaaaaaaaaaaaaaaaaaa")).ErrorAsync(404, "API_KEY_NOT_FOUND");
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Keys_are_shown_once_and_stored_only_as_hashes(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var created = await (await app.Master().PostAsync("/api/v1/auth/api-keys", new { name = "hashing", scopes = new[] { "write", "read" } })).OkAsync(HttpStatusCode.Created);
        var key = created.Str("api_key");
        Assert.Matches("^ohk_test_[A-Za-z0-9_-]{43}$", key);
        Assert.Equal(["read", "write"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var listed = await (await app.Master().GetAsync("/api/v1/auth/api-keys?limit=100")).OkAsync();
        var entry = listed.GetProperty("data").EnumerateArray().Single(k => k.Str("id") == created.Str("id"));
        Assert.DoesNotContain(key, listed.GetRawText());
        Assert.StartsWith(entry.Str("key_prefix"), key, StringComparison.Ordinal);

        await using var db = await app.OpenDbAsync();
        var rows = await db.QueryAsync<string>("SELECT id || ' ' || key_hash || ' ' || key_prefix || ' ' || scopes FROM api_keys", null, CancellationToken.None);
        Assert.DoesNotContain(rows, r => r.Contains(key, StringComparison.Ordinal));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Short_lived_tokens_carry_their_scopes_and_expire(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var minted = await (await app.Master().PostAsync("/api/v1/auth/token", new { scopes = new[] { "read" }, ttl_seconds = 120 })).OkAsync(HttpStatusCode.Created);
        var token = minted.Str("token");
        Assert.StartsWith("ohk_tok_", token, StringComparison.Ordinal);

        var client = app.Client(token);
        var me = await (await client.GetAsync("/api/v1/me")).OkAsync();
        Assert.Equal(["read"], me.GetProperty("api_key").GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        await (await client.PostNewAsync("/api/v1/users", new { external_user_id = "x", type = "buyer" })).ErrorAsync(403, "INSUFFICIENT_SCOPE");
        await (await client.PostAsync("/api/v1/auth/token", new { scopes = new[] { "read" } })).ErrorAsync(403, "INSUFFICIENT_SCOPE");

        app.Clock.Advance(TimeSpan.FromSeconds(121));
        await (await client.GetAsync("/api/v1/me")).ErrorAsync(401, "INVALID_API_KEY");

        var tooLong = await (await app.Master().PostAsync("/api/v1/auth/token", new { scopes = new[] { "read" }, ttl_seconds = 86_401 })).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Equal("ttl_seconds", tooLong.GetProperty("fields")[0].Str("field"));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Me_describes_the_presented_key(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var me = await (await (await app.ClientWithScopesAsync("read", "support")).GetAsync("/api/v1/me")).OkAsync();
        Assert.StartsWith("mkt_", me.Str("marketplace_id"), StringComparison.Ordinal);
        Assert.Equal("sandbox", me.Str("environment"));
        Assert.Equal(["read", "support"], me.GetProperty("api_key").GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var master = await (await app.Master().GetAsync("/api/v1/me")).OkAsync();
        Assert.Equal(me.Str("marketplace_id"), master.Str("marketplace_id"));
        Assert.Equal("master", master.GetProperty("api_key").Str("id"));
    }

    private static bool Matches(string pattern, string path)
    {
        var patternParts = pattern.Split('/');
        var pathParts = path.Split('/');
        return patternParts.Length == pathParts.Length
               && patternParts.Zip(pathParts).All(p => p.First.StartsWith('{') || p.First == p.Second);
    }
}
