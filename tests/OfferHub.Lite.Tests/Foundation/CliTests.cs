using System.Text.Json;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

public sealed class CliTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Migrate_then_manage_keys_from_the_command_line(Dialect dialect)
    {
        fixture.Get(dialect);
        var env = new Dictionary<string, string> { ["DATABASE_URL"] = fixture.NewDatabaseUrl(dialect), ["OFFERHUB_MASTER_KEY"] = TestApp.MasterKey };

        var dryRun = await Cli.RunAsync(env, "migrate", "--dry-run");
        Assert.True(dryRun.ExitCode == 0, dryRun.Error);
        Assert.Contains("1: foundation", dryRun.Out, StringComparison.Ordinal);

        var migrate = await Cli.RunAsync(env, "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.Error);
        Assert.Contains("No pending migrations.", (await Cli.RunAsync(env, "migrate", "--dry-run")).Out, StringComparison.Ordinal);

        var create = await Cli.RunAsync(env, "keys", "create", "--name", "ops", "--scopes", "read,write", "--json");
        Assert.True(create.ExitCode == 0, create.Error);
        var key = JsonDocument.Parse(create.Out).RootElement;
        var apiKey = key.Str("api_key");

        await using var app = new TestApp(dialect, env["DATABASE_URL"]);
        var me = await (await app.Client(apiKey).GetAsync("/api/v1/me")).OkAsync();
        Assert.Equal(key.Str("id"), me.GetProperty("api_key").Str("id"));

        var list = await Cli.RunAsync(env, "keys", "list");
        Assert.Contains(key.Str("id"), list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(apiKey, list.Out, StringComparison.Ordinal);

        var token = await Cli.RunAsync(env, "keys", "token", "--scopes", "read", "--ttl", "3600", "--json");
        Assert.True(token.ExitCode == 0, token.Error);
        await (await app.Client(JsonDocument.Parse(token.Out).RootElement.Str("token")).GetAsync("/api/v1/config")).OkAsync();

        var unconfirmed = await Cli.RunAsync(env, "keys", "revoke", key.Str("id"));
        Assert.Equal(1, unconfirmed.ExitCode);
        await (await app.Client(apiKey).GetAsync("/api/v1/me")).OkAsync();

        var revoke = await Cli.RunAsync(env, "keys", "revoke", key.Str("id"), "--yes");
        Assert.True(revoke.ExitCode == 0, revoke.Error);
        await (await app.Client(apiKey).GetAsync("/api/v1/me")).ErrorAsync(401, "INVALID_API_KEY");
    }

    [SkippableFact]
    public async Task Bad_input_and_bad_configuration_exit_1_with_one_line()
    {
        var env = new Dictionary<string, string> { ["DATABASE_URL"] = fixture.NewDatabaseUrl(Dialect.Sqlite), ["OFFERHUB_MASTER_KEY"] = TestApp.MasterKey };

        var badScopes = await Cli.RunAsync(env, "keys", "create", "--name", "x", "--scopes", "root");
        Assert.Equal(1, badScopes.ExitCode);
        Assert.Contains("VALIDATION_ERROR", badScopes.Error, StringComparison.Ordinal);

        var badUrl = await Cli.RunAsync(new Dictionary<string, string> { ["DATABASE_URL"] = "mysql://nope", ["OFFERHUB_MASTER_KEY"] = TestApp.MasterKey }, "migrate");
        Assert.Equal(1, badUrl.ExitCode);
        Assert.Equal("error: DATABASE_URL must be empty, sqlite:///path/file.db, Data Source=..., or postgresql://user:pass@host:5432/db.", badUrl.Error.Trim());

        var production = await Cli.RunAsync(
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DATABASE_URL"] = env["DATABASE_URL"] });
        Assert.Equal(1, production.ExitCode);
        Assert.Equal("offerhub: OFFERHUB_MASTER_KEY is required outside Development.", production.Error.Trim());

        var help = await Cli.RunAsync(env, "keys", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("revoke", help.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_walks_the_worked_example_with_the_balances_of_states_md()
    {
        var demo = await Cli.RunAsync(new Dictionary<string, string>(), "demo");

        Assert.True(demo.ExitCode == 0, demo.Error);
        var lines = demo.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        string Balances(string line) => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeLast(8));
        Assert.Equal("buyer available 100.00 reserved 0.00 seller available 0.00", Balances(lines[1]));
        Assert.Equal("buyer available 20.00 reserved 80.00 seller available 0.00", Balances(lines[2]));
        Assert.Equal("buyer available 20.00 reserved 0.00 seller available 80.00", Balances(lines[4]));
        Assert.Equal("buyer available 20.00 reserved 0.00 seller available 0.00", Balances(lines[5]));
    }
}
