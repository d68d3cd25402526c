using System.Net.Http.Headers;
using System.Text;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

/// <summary>Whatever a client sends, it gets a 4xx in the error envelope, never a 500.</summary>
public sealed class BadInputTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    public sealed record BadRequest(string Name, string Method, string Path, string? Body, string ContentType, int Status, string Code, bool Master = false);

    private static readonly string Huge = new('x', 300);

    public static readonly BadRequest[] Cases =
    [
        new("malformed json", "POST", "/api/v1/users", "{\"type\":", "application/json", 400, "INVALID_JSON"),
        new("trailing garbage", "POST", "/api/v1/users", "{\"type\":\"buyer\"} x", "application/json", 400, "INVALID_JSON"),
        new("json root is an array", "POST", "/api/v1/users", "[1,2]", "application/json", 400, "VALIDATION_ERROR"),
        new("json root is a string", "POST", "/api/v1/users", "\"buyer\"", "application/json", 400, "VALIDATION_ERROR"),
        new("empty body", "POST", "/api/v1/users", null, "application/json", 400, "VALIDATION_ERROR"),
        new("number for a string", "POST", "/api/v1/users", "{\"external_user_id\":5,\"type\":\"buyer\"}", "application/json", 400, "VALIDATION_ERROR"),
        new("object for a string", "POST", "/api/v1/users", "{\"external_user_id\":\"a\",\"type\":{\"x\":1}}", "application/json", 400, "VALIDATION_ERROR"),
        new("array for metadata", "POST", "/api/v1/users", "{\"external_user_id\":\"a\",\"type\":\"buyer\",\"metadata\":[1]}", "application/json", 400, "VALIDATION_ERROR"),
        new("missing required fields", "POST", "/api/v1/users", "{}", "application/json", 400, "VALIDATION_ERROR"),
        new("unknown enum value", "POST", "/api/v1/users", "{\"external_user_id\":\"a\",\"type\":\"alien\"}", "application/json", 400, "VALIDATION_ERROR"),
        new("huge string", "POST", "/api/v1/users", $"{{\"external_user_id\":\"{Huge}\",\"type\":\"buyer\"}}", "application/json", 400, "VALIDATION_ERROR"),
        new("control characters", "POST", "/api/v1/users", "{\"external_user_id\":\"a\\u0000b\",\"type\":\"buyer\"}", "application/json", 400, "VALIDATION_ERROR"),
        new("bad e-mail", "POST", "/api/v1/users", "{\"external_user_id\":\"a\",\"type\":\"buyer\",\"email\":\"not-an-email\"}", "application/json", 400, "VALIDATION_ERROR"),
        new("huge metadata", "POST", "/api/v1/users", $"{{\"external_user_id\":\"a\",\"type\":\"buyer\",\"metadata\":{{\"k\":\"{new string('m', 20_000)}\"}}}}", "application/json", 400, "VALIDATION_ERROR"),
        new("deeply nested json", "POST", "/api/v1/users", new string('[', 200) + new string(']', 200), "application/json", 400, "INVALID_JSON"),
        new("text/plain body", "POST", "/api/v1/users", "hello", "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE"),
        new("form body", "POST", "/api/v1/users", "a=b", "application/x-www-form-urlencoded", 415, "UNSUPPORTED_MEDIA_TYPE"),
        new("unknown route", "GET", "/api/v1/nothing-here", null, "application/json", 404, "NOT_FOUND"),
        new("unknown root route", "GET", "/definitely/not", null, "application/json", 404, "NOT_FOUND"),
        new("wrong method", "PUT", "/api/v1/users", "{}", "application/json", 405, "METHOD_NOT_ALLOWED"),
        new("limit not a number", "GET", "/api/v1/users?limit=abc", null, "application/json", 400, "VALIDATION_ERROR"),
        new("limit too big", "GET", "/api/v1/users?limit=101", null, "application/json", 400, "VALIDATION_ERROR"),
        new("cursor of another resource", "GET", "/api/v1/users?cursor=ord_01aaaaaaaaaaaaaaaaaaaaaaaa", null, "application/json", 400, "VALIDATION_ERROR"),
        new("unknown filter value", "GET", "/api/v1/users?status=HAPPY", null, "application/json", 400, "VALIDATION_ERROR"),
        new("bad event type pattern", "GET", "/api/v1/events?types=order.*.*", null, "application/json", 400, "VALIDATION_ERROR"),
        new("bad audit timestamp", "GET", "/api/v1/audit/logs?from=yesterday", null, "application/json", 400, "VALIDATION_ERROR"),
        new("unknown user", "GET", "/api/v1/users/usr_01aaaaaaaaaaaaaaaaaaaaaaaa", null, "application/json", 404, "USER_NOT_FOUND"),
        new("key with unknown scope", "POST", "/api/v1/auth/api-keys", "{\"name\":\"n\",\"scopes\":[\"admin\"]}", "application/json", 400, "VALIDATION_ERROR", Master: true),
        new("key with no scopes", "POST", "/api/v1/auth/api-keys", "{\"name\":\"n\",\"scopes\":[]}", "application/json", 400, "VALIDATION_ERROR", Master: true),
        new("scopes not a list", "POST", "/api/v1/auth/api-keys", "{\"name\":\"n\",\"scopes\":\"read\"}", "application/json", 400, "VALIDATION_ERROR", Master: true),
        new("ttl as a string", "POST", "/api/v1/auth/token", "{\"scopes\":[\"read\"],\"ttl_seconds\":\"60\"}", "application/json", 400, "VALIDATION_ERROR", Master: true),
        new("ttl below a minute", "POST", "/api/v1/auth/token", "{\"scopes\":[\"read\"],\"ttl_seconds\":1}", "application/json", 400, "VALIDATION_ERROR", Master: true),
        new("top-up amount as a number", "POST", "/api/v1/topups", "{\"user_id\":\"usr_x\",\"amount\":10,\"currency\":\"USD\",\"return_url\":\"https://a.b/r\",\"cancel_url\":\"https://a.b/c\"}", "application/json", 400, "INVALID_AMOUNT_FORMAT"),
        new("top-up in another currency", "POST", "/api/v1/topups", "{\"user_id\":\"usr_x\",\"amount\":\"10.00\",\"currency\":\"EUR\",\"return_url\":\"https://a.b/r\",\"cancel_url\":\"https://a.b/c\"}", "application/json", 400, "INVALID_CURRENCY"),
        new("withdrawal destination not an object", "POST", "/api/v1/withdrawals", "{\"user_id\":\"usr_x\",\"amount\":\"10.00\",\"currency\":\"USD\",\"destination\":\"airtm\"}", "application/json", 400, "VALIDATION_ERROR"),
        new("commit without confirm", "POST", "/api/v1/withdrawals/wd_01aaaaaaaaaaaaaaaaaaaaaaaa/commit", "{\"confirm\":false}", "application/json", 400, "VALIDATION_ERROR"),
        new("release with an unknown mode", "POST", "/api/v1/orders/ord_01aaaaaaaaaaaaaaaaaaaaaaaa/release", "{\"mode\":\"ALL\"}", "application/json", 400, "VALIDATION_ERROR"),
        new("partial refund without milestone", "POST", "/api/v1/orders/ord_01aaaaaaaaaaaaaaaaaaaaaaaa/refund", "{\"mode\":\"PARTIAL\",\"amount\":\"1.00\"}", "application/json", 400, "VALIDATION_ERROR"),
        new("dispute evidence not urls", "POST", "/api/v1/orders/ord_01aaaaaaaaaaaaaaaaaaaaaaaa/disputes", "{\"opened_by\":\"buyer\",\"reason\":\"r\",\"evidence\":[\"not a url\"]}", "application/json", 400, "VALIDATION_ERROR"),
        new("split with a bad amount", "POST", "/api/v1/disputes/dsp_01aaaaaaaaaaaaaaaaaaaaaaaa/resolve", "{\"decision\":\"SPLIT\",\"amount_to_seller\":\"1\",\"amount_to_buyer\":\"0.00\"}", "application/json", 400, "INVALID_AMOUNT_FORMAT"),
        new("stellar address with a bad checksum", "POST", "/api/v1/users/usr_01aaaaaaaaaaaaaaaaaaaaaaaa/stellar/link", "{\"stellar_address\":\"GBUBJ655IZZJSZPG6IL5A3IWBMOQFF2OGAFE2KLVV4SGAFB2DSDC3NHZ\"}", "application/json", 400, "VALIDATION_ERROR"),
        new("webhook endpoint types not a list", "POST", "/api/v1/webhook-endpoints", "{\"url\":\"https://a.b/h\",\"types\":\"*\"}", "application/json", 400, "VALIDATION_ERROR", Master: true),
        new("unknown top-up", "GET", "/api/v1/topups/topup_01aaaaaaaaaaaaaaaaaaaaaaaa", null, "application/json", 404, "TOPUP_NOT_FOUND"),
        new("unknown signature", "POST", "/api/v1/signatures/sig_01aaaaaaaaaaaaaaaaaaaaaaaa/submit", "{\"signed_xdr\":\"x\"}", "application/json", 404, "SIGNATURE_NOT_FOUND"),
        new("unknown charset", "POST", "/api/v1/users", "{\"external_user_id\":\"a\",\"type\":\"buyer\"}", "application/json; charset=bogus", 415, "UNSUPPORTED_MEDIA_TYPE"),
        new("utf-16 charset", "POST", "/api/v1/orders", "{}", "application/json; charset=utf-16", 415, "UNSUPPORTED_MEDIA_TYPE"),
        new("arabic-indic digits in an amount", "POST", "/api/v1/orders", "{\"buyer_id\":\"usr_a\",\"seller_id\":\"usr_b\",\"amount\":\"\u0661\u0660.\u0660\u0660\",\"currency\":\"USD\"}", "application/json", 400, "INVALID_AMOUNT_FORMAT"),
        new("amount with a trailing newline", "POST", "/api/v1/orders", "{\"buyer_id\":\"usr_a\",\"seller_id\":\"usr_b\",\"amount\":\"10.00\\n\",\"currency\":\"USD\"}", "application/json", 400, "INVALID_AMOUNT_FORMAT"),
        new("null milestone", "POST", "/api/v1/orders", "{\"buyer_id\":\"usr_a\",\"seller_id\":\"usr_b\",\"amount\":\"10.00\",\"currency\":\"USD\",\"milestones\":[null]}", "application/json", 400, "VALIDATION_ERROR"),
        new("null scope", "POST", "/api/v1/auth/api-keys", "{\"name\":\"n\",\"scopes\":[\"read\",null]}", "application/json", 400, "VALIDATION_ERROR", Master: true),
        new("reserve amount in fullwidth digits", "POST", "/api/v1/orders/ord_01aaaaaaaaaaaaaaaaaaaaaaaa/reserve", "{\"amount\":\"\uff11\uff10.00\"}", "application/json", 400, "INVALID_AMOUNT_FORMAT"),
        new("path id too long", "GET", "/api/v1/orders/" + new string('o', 65), null, "application/json", 404, "NOT_FOUND"),
        new("nul in a query value", "GET", "/api/v1/users?status=%00", null, "application/json", 400, "VALIDATION_ERROR"),
        new("stream with a bad cursor", "GET", "/api/v1/events?cursor=usr_01aaaaaaaaaaaaaaaaaaaaaaaa", null, "application/json", 400, "VALIDATION_ERROR"),
    ];

    public static TheoryData<Dialect, string> All()
    {
        var data = new TheoryData<Dialect, string>();
        foreach (var dialect in new[] { Dialect.Sqlite, Dialect.Postgres })
        {
            foreach (var c in Cases)
            {
                data.Add(dialect, c.Name);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(All))]
    public async Task Bad_input_gets_the_envelope_with_a_4xx(Dialect dialect, string name)
    {
        var app = fixture.Get(dialect);
        var c = Cases.Single(x => x.Name == name);
        var client = c.Master ? app.Master() : await app.WriterAsync();
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        if (c.Body is not null)
        {
            request.Content = new StringContent(c.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(c.ContentType);
        }

        await (await client.SendAsync(request)).ErrorAsync(c.Status, c.Code);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Every_bad_field_is_reported_at_once(Dialect dialect)
    {
        var client = await fixture.Get(dialect).WriterAsync();
        var details = await (await client.PostNewAsync("/api/v1/users", new { email = "nope", type = "alien", metadata = 3 })).ErrorAsync(400, "VALIDATION_ERROR");
        var fields = details.GetProperty("fields").EnumerateArray().Select(f => f.Str("field")).Order().ToList();
        Assert.Equal(["email", "external_user_id", "metadata", "type"], fields);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task An_oversized_body_is_refused_with_413(Dialect dialect)
    {
        var client = await fixture.Get(dialect).WriterAsync();
        var body = $"{{\"external_user_id\":\"{new string('a', 1024 * 1024 + 10)}\",\"type\":\"buyer\"}}";
        await (await client.PostNewAsync("/api/v1/users", body)).ErrorAsync(413, "PAYLOAD_TOO_LARGE");
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Idempotent_routes_require_a_sane_key(Dialect dialect)
    {
        var client = await fixture.Get(dialect).WriterAsync();
        var body = new { external_user_id = "k-" + Guid.NewGuid(), type = "buyer" };
        var missing = await (await client.PostAsync("/api/v1/users", body)).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Equal("Idempotency-Key", missing.GetProperty("fields")[0].Str("field"));
        await (await client.PostAsync("/api/v1/users", body, new string('k', 256))).ErrorAsync(400, "VALIDATION_ERROR");
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Request_ids_are_echoed_or_generated(Dialect dialect)
    {
        var client = fixture.Get(dialect).Client();
        using var supplied = new HttpRequestMessage(HttpMethod.Get, "/api/v1/health");
        supplied.Headers.Add("X-Request-ID", "trace-123");
        Assert.Equal("trace-123", (await client.SendAsync(supplied)).Headers.GetValues("X-Request-ID").Single());

        using var unsafeId = new HttpRequestMessage(HttpMethod.Get, "/api/v1/health");
        unsafeId.Headers.TryAddWithoutValidation("X-Request-ID", "<script>");
        var generated = (await client.SendAsync(unsafeId)).Headers.GetValues("X-Request-ID").Single();
        Assert.StartsWith("req_", generated, StringComparison.Ordinal);

        var error = await client.GetAsync("/api/v1/me");
        Assert.Equal(error.Headers.GetValues("X-Request-ID").Single(), (await error.JsonAsync()).GetProperty("error").Str("request_id"));
    }

    public static TheoryData<Dialect, string, string> EveryPost()
    {
        var data = new TheoryData<Dialect, string, string>();
        foreach (var dialect in new[] { Dialect.Sqlite, Dialect.Postgres })
        {
            foreach (var (method, path, scope) in AuthTests.Endpoints.Where(e => e.Method == "POST"))
            {
                data.Add(dialect, path, scope);
            }
        }

        return data;
    }

    /// <summary>Every POST route, fed bodies of the wrong shape, answers with a 4xx envelope.</summary>
    [SkippableTheory]
    [MemberData(nameof(EveryPost))]
    public async Task Every_post_route_refuses_junk_bodies_with_a_4xx(Dialect dialect, string path, string scope)
    {
        var app = fixture.Get(dialect);
        var client = scope == "master" ? app.Master() : await app.ClientWithScopesAsync("read", "write", "support");
        foreach (var body in new[] { "{}", "[]", "null", "{\"amount\":-1,\"user_id\":[],\"mode\":7}", "{\"x\":" + new string('9', 400) + "}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{path} with {body} answered {(int)response.StatusCode}: {text}");
            Http.AssertEnvelope(response, text);
        }
    }
}
