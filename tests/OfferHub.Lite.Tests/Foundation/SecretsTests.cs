using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

public sealed class SecretsTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task No_key_token_or_master_key_reaches_the_logs_or_the_audit_log(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var master = app.Master();
        var created = await (await master.PostAsync("/api/v1/auth/api-keys", new { name = "secret check", scopes = new[] { "read", "write", "support" } })).OkAsync(HttpStatusCode.Created);
        var apiKey = created.Str("api_key");
        var token = (await (await master.PostAsync("/api/v1/auth/token", new { scopes = new[] { "read" } })).OkAsync(HttpStatusCode.Created)).Str("token");

        var client = app.Client(apiKey);
        await client.CreateUserAsync();
        await (await client.PostNewAsync("/api/v1/users", "{\"broken\":")).ErrorAsync(400, "INVALID_JSON");
        await (await app.Client(token).GetAsync("/api/v1/me")).OkAsync();
        await (await app.Client(apiKey + "x").GetAsync("/api/v1/me")).ErrorAsync(401, "INVALID_API_KEY");
        await (await app.Client(TestApp.MasterKey + "x").GetAsync("/api/v1/me")).ErrorAsync(401, "INVALID_API_KEY");
        await (await master.DeleteAsync($"/api/v1/auth/api-keys/{created.Str("id")}")).OkAsync();

        var secrets = new[] { apiKey, token, TestApp.MasterKey, apiKey[9..], token[8..] };
        var logs = string.Join('\n', app.Logs.Lines);
        Assert.NotEmpty(app.Logs.Lines);
        await using var db = await app.OpenDbAsync();
        var audit = string.Join('\n', await db.QueryAsync<string>(
            "SELECT action || ' ' || COALESCE(after_state, '') || ' ' || COALESCE(before_state, '') || ' ' || COALESCE(error_message, '') FROM audit_logs", null, CancellationToken.None));
        Assert.Contains("API_KEY_CREATE", audit, StringComparison.Ordinal);
        Assert.Contains("TOKEN_MINT", audit, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", audit, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, audit, StringComparison.Ordinal);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Provider_credentials_and_webhook_secrets_reach_neither_logs_nor_audit_nor_errors(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var client = await app.WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        await client.TopUpAsync(user, "10.00");
        await (await client.PostAsync($"{Support.Airtm.Control}/faults", new { status = 500, count = 1 })).EnsureNoContentAsync();
        var failed = await client.PostNewAsync("/api/v1/topups", new { user_id = user, amount = "5.00", currency = "USD", return_url = "https://m.example/r", cancel_url = "https://m.example/c" });
        var error = await failed.Content.ReadAsStringAsync();
        await app.SendAirtmWebhookAsync("msg_bad", "{}", secret: "whsec_" + Convert.ToBase64String(new byte[32]));
        await client.FundedOrderAsync("10.00", "10.00");

        var airtm = app.Services.GetRequiredService<OfferHubOptions>().Airtm;
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{airtm.ApiKey}:{airtm.ApiSecret}"));
        var logs = string.Join('\n', app.Logs.Lines);
        await using var db = await app.OpenDbAsync();
        var audit = string.Join('\n', await db.QueryAsync<string>(
            "SELECT action || ' ' || COALESCE(after_state, '') || ' ' || COALESCE(before_state, '') || ' ' || COALESCE(error_message, '') FROM audit_logs", null, CancellationToken.None));
        Assert.Contains("WEBHOOK_RECEIVED", audit, StringComparison.Ordinal);
        Assert.DoesNotContain($"{user}@sim.airtm", audit, StringComparison.Ordinal);
        Assert.DoesNotContain($"{user}@sim.airtm", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString($"{user}@sim.airtm"), logs, StringComparison.Ordinal);
        var trustless = app.Services.GetRequiredService<OfferHubOptions>().Trustless;
        foreach (var secret in new[] { airtm.ApiSecret!, basic, airtm.WebhookSecret!, airtm.WebhookSecret!["whsec_".Length..], trustless.ApiKey!, trustless.WebhookSecret! })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, audit, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, error, StringComparison.Ordinal);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Config_shows_switches_and_limits_but_no_secret(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var config = await (await (await app.ClientWithScopesAsync("read")).GetAsync("/api/v1/config")).OkAsync();
        Assert.True(config.GetProperty("features").GetProperty("topups_enabled").GetBoolean());
        Assert.Equal("10000.00", config.GetProperty("limits").Str("max_order_amount"));
        Assert.Equal(["USD"], config.GetProperty("currencies").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("simulated", config.GetProperty("providers").GetProperty("airtm").Str("environment"));
        Assert.DoesNotContain(TestApp.MasterKey, config.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("database", config.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }
}
