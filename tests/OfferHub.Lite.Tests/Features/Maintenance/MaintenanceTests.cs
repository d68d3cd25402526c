using System.Net;
using System.Text.Json;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Maintenance;

/// <summary>Maintenance mode switched by the CLI, shared through the database: mutating calls get
/// 503 MAINTENANCE, reads and provider webhooks keep working.</summary>
public sealed class MaintenanceTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task The_cli_switch_refuses_writes_but_not_reads_or_webhooks(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var client = await app.WriterAsync();
        var environment = new Dictionary<string, string> { ["DATABASE_URL"] = app.DatabaseUrl, ["OFFERHUB_MASTER_KEY"] = TestApp.MasterKey };

        var enabled = await Cli.RunAsync(environment, "maintenance", "enable", "--message", "Upgrading the ledger, back at 10:00 UTC");
        Assert.True(enabled.ExitCode == 0, enabled.Error);
        var status = await Cli.RunAsync(environment, "maintenance", "status", "--json");
        Assert.True(JsonDocument.Parse(status.Out).RootElement.GetProperty("enabled").GetBoolean());

        var refused = await client.PostNewAsync("/api/v1/users", new { external_user_id = "m-" + Guid.NewGuid().ToString("N"), type = "buyer" });
        var details = await refused.ErrorAsync(503, "MAINTENANCE");
        Assert.Equal("Upgrading the ledger, back at 10:00 UTC", details.Str("message"));
        await (await app.Master().PostAsync("/api/v1/auth/api-keys", new { name = "k", scopes = new[] { "read" } })).ErrorAsync(503, "MAINTENANCE");
        await (await client.GetAsync("/api/v1/users")).OkAsync();
        var webhook = await app.SendAirtmWebhookAsync("msg_maintenance_" + dialect, JsonSerializer.Serialize(new { type = "payin.created", data = new { id = "x", code = "topup_unknown" } }));
        await webhook.OkAsync();

        var disabled = await Cli.RunAsync(environment, "maintenance", "disable");
        Assert.True(disabled.ExitCode == 0, disabled.Error);
        await (await client.PostNewAsync("/api/v1/users", new { external_user_id = "m-" + Guid.NewGuid().ToString("N"), type = "buyer" })).OkAsync(HttpStatusCode.Created);
        var audit = await (await client.GetAsync("/api/v1/audit/logs?resource_type=instance")).OkAsync();
        Assert.Equal(["MAINTENANCE_DISABLE", "MAINTENANCE_ENABLE"], audit.GetProperty("data").EnumerateArray().Select(a => a.Str("action")).ToArray());
    }
}
