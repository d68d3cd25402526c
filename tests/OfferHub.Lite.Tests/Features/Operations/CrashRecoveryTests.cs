using System.Net;
using System.Text.Json;
using OfferHub.Lite.Infrastructure.Webhooks;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Operations;

/// <summary>A crash between the provider call and the local commit, for real: the orchestrator's
/// process is killed while Airtm (a second process running the simulator) has created the pay-in
/// but not answered. After a restart, reconciliation finds the pay-in by our code and completes
/// the top-up; nothing happens twice.</summary>
public sealed class CrashRecoveryTests
{
    [SkippableFact]
    public async Task A_top_up_whose_process_died_after_airtm_created_the_payin_is_repaired_on_the_next_run()
    {
        var file = Path.Combine(Path.GetTempPath(), "offerhub-tests", Guid.NewGuid().ToString("N") + ".db");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var database = "sqlite://" + file;
        var orchestratorPort = Ports.Free();
        var secret = WebhookSignature.NewSecret();
        // The provider: a process of its own whose simulator calls the orchestrator back.
        await using var airtm = await ServerProcess.StartAsync("sqlite://" + file + ".airtm.db", new Dictionary<string, string>
        {
            ["PUBLIC_BASE_URL"] = $"http://127.0.0.1:{orchestratorPort}",
            ["AIRTM_WEBHOOK_SECRET"] = secret,
        });
        using var provider = airtm.Client(null);
        var orchestrator = new Dictionary<string, string>
        {
            ["AIRTM_BASE_URL"] = airtm.BaseAddress + "sim/airtm/v2",
            ["AIRTM_WEBHOOK_SECRET"] = secret,
            ["OfferHub__Jobs__Enabled"] = "false",
        };

        string user;
        var first = await ServerProcess.StartAsync(database, orchestrator, orchestratorPort);
        await using (first)
        {
            var key = (await (await first.Client().PostAsync("/api/v1/auth/api-keys", new { name = "x", scopes = new[] { "read", "write" } })).OkAsync(HttpStatusCode.Created)).Str("api_key");
            using var client = first.Client(key);
            user = await client.CreateUserAsync("buyer");
            await (await client.PostNewAsync($"/api/v1/users/{user}/airtm/link", new { airtm_email = "buyer@sim.airtm" })).OkAsync();

            // Airtm creates the pay-in, then does not answer (and its payin.created callback is lost);
            // the orchestrator dies meanwhile.
            await (await provider.PostAsync($"{Support.Airtm.Control}/callbacks", new { mode = "drop" })).EnsureNoContentAsync();
            await (await provider.PostAsync($"{Support.Airtm.Control}/faults", new { hang_seconds = 60, count = 1 })).EnsureNoContentAsync();
            var pending = client.PostNewAsync("/api/v1/topups", new
            {
                user_id = user, amount = "100.00", currency = "USD", return_url = "https://m.example/r", cancel_url = "https://m.example/c",
            });
            await Eventually.UntilAsync(async () => (await (await provider.GetAsync($"{Support.Airtm.Control}/payins")).OkAsync()).GetArrayLength(),
                payins => payins > 0, _ => "Airtm never received the pay-in", timeoutMs: 20_000, intervalMs: 50);

            await first.DisposeAsync();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => pending);
        }

        await (await provider.PostAsync($"{Support.Airtm.Control}/callbacks", new { mode = "normal" })).EnsureNoContentAsync();
        await using var second = await ServerProcess.StartAsync(database, orchestrator, orchestratorPort);
        var cli = new Dictionary<string, string>(orchestrator)
        {
            ["DATABASE_URL"] = database,
            ["OFFERHUB_MASTER_KEY"] = ServerProcess.MasterKey,
            ["OfferHub__Jobs__StuckAfterSeconds"] = "0",
        };
        var report = await Cli.RunAsync(cli, "reconcile", "--fix", "--json");
        Assert.True(report.ExitCode == 0, report.Error);
        var item = JsonDocument.Parse(report.Out).RootElement.GetProperty("stuck").EnumerateArray().Single(i => i.Str("kind") == "topup");
        Assert.Equal(("TOPUP_CREATED", "TOPUP_AWAITING_USER_CONFIRMATION"), (item.Str("before"), item.Str("after")));

        var payins = await (await provider.GetAsync($"{Support.Airtm.Control}/payins")).OkAsync();
        Assert.Single(payins.EnumerateArray());
        Assert.Equal(item.Str("id"), payins[0].Str("code"));
        await (await provider.PostAsync($"{Support.Airtm.Control}/payins/{payins[0].Str("id")}/confirm", new { email = "buyer@sim.airtm" })).OkAsync();
        using var master = second.Client();
        var key2 = (await (await master.PostAsync("/api/v1/auth/api-keys", new { name = "y", scopes = new[] { "read" } })).OkAsync(HttpStatusCode.Created)).Str("api_key");
        using var reader = second.Client(key2);
        await reader.WaitForStatusAsync($"/api/v1/topups/{item.Str("id")}", "TOPUP_SUCCEEDED", timeoutMs: 20_000);
        Assert.Equal("100.00", (await reader.BalanceAsync(user)).Str("available"));

        var again = await Cli.RunAsync(cli, "reconcile", "--fix", "--json");
        Assert.Empty(JsonDocument.Parse(again.Out).RootElement.GetProperty("stuck").EnumerateArray());
        Assert.Single((await (await provider.GetAsync($"{Support.Airtm.Control}/payins")).OkAsync()).EnumerateArray());
        Assert.Equal("100.00", (await reader.BalanceAsync(user)).Str("available"));
    }
}
