using System.Net;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Instance;

public sealed class InstanceTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Health_reports_the_database_and_what_is_not_configured(Dialect dialect)
    {
        var health = await (await fixture.Get(dialect).Client().GetAsync("/api/v1/health")).OkAsync();
        Assert.Equal("healthy", health.Str("status"));
        Assert.Equal("ok", health.GetProperty("checks").Str("database"));
        Assert.Equal("disabled", health.GetProperty("checks").Str("redis"));
        Assert.Equal("ok", health.GetProperty("checks").Str("airtm"));
        Assert.False(string.IsNullOrEmpty(health.Str("version")));
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Health_is_degraded_while_Airtm_answers_with_errors(Dialect dialect)
    {
        var client = fixture.Get(dialect).Client();
        // Two failures: the health probe is a read, retried once.
        await (await client.PostAsync($"{Support.Airtm.Control}/faults", new { status = 500, count = 2 })).EnsureNoContentAsync();
        var health = await (await client.GetAsync("/api/v1/health")).OkAsync();
        Assert.Equal(("degraded", "error"), (health.Str("status"), health.GetProperty("checks").Str("airtm")));
        Assert.Equal("healthy", (await (await client.GetAsync("/api/v1/health")).OkAsync()).Str("status"));
    }

    [SkippableFact]
    public async Task Health_is_unhealthy_503_when_the_database_is_unreachable()
    {
        Skip.If(PostgresServer.Instance is null, "SKIPPED (no PostgreSQL): " + PostgresServer.UnavailableReason);
        var url = $"postgresql://postgres@127.0.0.1:{PostgresServer.Instance!.Port}/does_not_exist_db";
        await using var app = new TestApp(Dialect.Postgres, url, new Dictionary<string, string?> { ["OfferHub:MigrateOnStart"] = "false" });
        var response = await app.Client().GetAsync("/api/v1/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var health = await response.JsonAsync();
        Assert.Equal("unhealthy", health.Str("status"));
        Assert.NotEqual("ok", health.GetProperty("checks").Str("database"));

        // Anything unexpected is a bare INTERNAL_ERROR: logged with its detail, never returned.
        var response500 = await app.Client(TestApp.MasterKey).GetAsync("/api/v1/users");
        await response500.ErrorAsync(500, "INTERNAL_ERROR");
        var body = await response500.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Npgsql", body, StringComparison.Ordinal);
        Assert.DoesNotContain("does_not_exist_db", body, StringComparison.Ordinal);
        Assert.Contains(app.Logs.Lines, line => line.Contains("Npgsql", StringComparison.Ordinal) && line.Contains("Error", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task The_openapi_document_describes_the_routes_and_the_docs_page_serves()
    {
        var app = fixture.Get(Dialect.Sqlite);
        var document = await (await app.Client().GetAsync("/openapi/v1.json")).OkAsync();
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/users", out var users));
        var create = users.GetProperty("post");
        Assert.Contains(create.GetProperty("parameters").EnumerateArray(), p => p.Str("name") == "Idempotency-Key");
        Assert.True(create.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(paths.TryGetProperty("/api/v1/auth/api-keys", out _));
        Assert.Contains("external_user_id", document.GetRawText(), StringComparison.Ordinal);

        var docs = await app.Client().GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("text/html", docs.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
    }
}
