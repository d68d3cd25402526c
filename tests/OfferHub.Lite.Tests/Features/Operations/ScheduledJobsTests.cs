using System.Net;
using System.Text.Json;
using Npgsql;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Operations;

/// <summary>The Quartz schedule in real server processes: two instances on one PostgreSQL share the
/// clustered job store and each firing runs once; a run that fails every try lands in the
/// dead-letter table, which the CLI lists and retries.</summary>
public sealed class ScheduledJobsTests
{
    [SkippableFact]
    public async Task Two_instances_on_one_postgresql_run_each_firing_of_a_job_once()
    {
        Skip.If(PostgresServer.Instance is null, "SKIPPED (no PostgreSQL): " + PostgresServer.UnavailableReason);
        var database = PostgresServer.Instance!.CreateDatabase();
        var environment = new Dictionary<string, string>
        {
            ["OfferHub__Jobs__LedgerCheckEverySeconds"] = "1",
            ["OfferHub__Jobs__ReconcileEverySeconds"] = "3600",
            ["OfferHub__Jobs__ExpiryEverySeconds"] = "3600",
            ["OfferHub__Jobs__IdempotencyCleanupEverySeconds"] = "3600",
        };
        await using var a = await ServerProcess.StartAsync(database, environment);
        await using var b = await ServerProcess.StartAsync(database, environment);
        var connection = $"Host=127.0.0.1;Port={PostgresServer.Instance.Port};Username=postgres;Database={database[(database.LastIndexOf('/') + 1)..]}";

        List<(long ScheduledAt, string Instance)> runs = await Eventually.UntilAsync(() => RunsAsync(connection), r => r.Count >= 8, r => $"only {r.Count} ledger_check runs in 30 s", timeoutMs: 30_000, intervalMs: 200);

        // Both instances are in the cluster, and each firing ran on one of them only.
        Assert.Equal(2, await ScalarAsync(connection, "SELECT COUNT(*) FROM qrtz_scheduler_state"));
        Assert.Equal(runs.Count, runs.Select(r => r.ScheduledAt).Distinct().Count());
    }

    [SkippableFact]
    public async Task A_run_failing_every_try_is_dead_lettered_and_the_cli_lists_and_retries_it()
    {
        var file = Path.Combine(Path.GetTempPath(), "offerhub-tests", Guid.NewGuid().ToString("N") + ".db");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var database = "sqlite://" + file;
        var environment = new Dictionary<string, string>
        {
            ["OfferHub__Jobs__ReconcileEverySeconds"] = "1",
            ["OfferHub__Jobs__StuckAfterSeconds"] = "0",
            ["OfferHub__Jobs__MaxAttempts"] = "2",
            ["OfferHub__Jobs__RetryBaseSeconds"] = "1",
        };
        await using var server = await ServerProcess.StartAsync(database, environment);
        var key = (await (await server.Client().PostAsync("/api/v1/auth/api-keys", new { name = "x", scopes = new[] { "read", "write" } })).OkAsync(HttpStatusCode.Created)).Str("api_key");
        using var client = server.Client(key);
        var user = await client.CreateUserAsync("seller");
        await client.TopUpAsync(user, "20.00");
        await (await client.PostAsync($"{Support.Airtm.Control}/payouts/outcome", new { outcome = "pending" })).EnsureNoContentAsync();
        var withdrawal = (await (await client.PostNewAsync("/api/v1/withdrawals", new { user_id = user, amount = "20.00", currency = "USD", commit = true })).OkAsync(HttpStatusCode.Created)).Str("id");

        // Airtm answers 500 for a while: every try of reconciliation fails.
        await (await client.PostAsync($"{Support.Airtm.Control}/faults", new { status = 500, count = 12 })).EnsureNoContentAsync();
        var cli = new Dictionary<string, string> { ["DATABASE_URL"] = database, ["OFFERHUB_MASTER_KEY"] = ServerProcess.MasterKey, ["PUBLIC_BASE_URL"] = server.BaseAddress.ToString().TrimEnd('/') };
        var dead = await Eventually.UntilAsync(async () => JsonDocument.Parse((await Cli.RunAsync(cli, "jobs", "dead", "--json")).Out).RootElement,
            d => d.GetArrayLength() > 0, _ => "no run was dead-lettered", timeoutMs: 30_000, intervalMs: 500);

        Assert.Equal(("reconciliation", 2), (dead[0].Str("job"), dead[0].GetProperty("attempts").GetInt32()));
        var list = await Cli.RunAsync(cli, "jobs", "list");
        Assert.Contains("reconciliation", list.Out, StringComparison.Ordinal);

        // Once Airtm answers again, the schedule completes the withdrawal by itself, and the dead run can be retried by hand.
        await (await client.PostAsync($"{Support.Airtm.Control}/callbacks", new { mode = "drop" })).EnsureNoContentAsync();
        var payout = (await (await client.GetAsync($"/api/v1/withdrawals/{withdrawal}")).OkAsync()).GetProperty("provider_ref").Str("airtm_payout_id");
        await (await client.PostAsync($"{Support.Airtm.Control}/payouts/{payout}/status", new { status = "COMPLETED" })).OkAsync();
        await client.WaitForStatusAsync($"/api/v1/withdrawals/{withdrawal}", "WITHDRAWAL_COMPLETED", timeoutMs: 30_000);
        var retried = await Cli.RunAsync(cli, "jobs", "retry", dead[0].Str("id"));
        Assert.True(retried.ExitCode == 0, retried.Error);
        Assert.Contains("reconciliation:", retried.Out, StringComparison.Ordinal);
        var after = JsonDocument.Parse((await Cli.RunAsync(cli, "jobs", "dead", "--json")).Out).RootElement;
        Assert.Contains(after.EnumerateArray(), d => d.Str("id") == dead[0].Str("id") && d.GetProperty("retried_at").ValueKind == JsonValueKind.Number);
    }

    private static async Task<List<(long, string)>> RunsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT scheduled_at, instance FROM job_runs WHERE job = 'ledger_check'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var runs = new List<(long, string)>();
        while (await reader.ReadAsync())
        {
            runs.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return runs;
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
