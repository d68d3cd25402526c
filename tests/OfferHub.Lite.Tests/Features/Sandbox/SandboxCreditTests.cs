using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Sandbox;

public sealed class SandboxCreditTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [SkippableFact]
    public async Task Sandbox_credits_are_not_mapped_unless_switched_on()
    {
        await using var app = new TestApp(Dialect.Sqlite, fixture.NewDatabaseUrl(Dialect.Sqlite), new Dictionary<string, string?> { ["OfferHub:SandboxCredits"] = "false" });
        var client = await app.WriterAsync();
        var user = await client.CreateUserAsync();
        await (await client.PostNewAsync("/api/v1/sandbox/credits", new { user_id = user, amount = "10.00" })).ErrorAsync(404, "NOT_FOUND");
    }

    [SkippableFact]
    public async Task Production_refuses_to_start_with_sandbox_credits_on()
    {
        var result = await Cli.RunAsync(new Dictionary<string, string>
        {
            ["DATABASE_URL"] = fixture.NewDatabaseUrl(Dialect.Sqlite),
            ["OFFERHUB_ENV"] = "production",
            ["OFFERHUB_MASTER_KEY"] = TestApp.MasterKey,
            ["AIRTM_MODE"] = "sandbox",
            ["TRUSTLESS_MODE"] = "testnet",
            ["OfferHub__SandboxCredits"] = "true",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        });
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("offerhub: OfferHub:SandboxCredits cannot be on with OFFERHUB_ENV=production.", result.Error.Trim());
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task The_ledger_pages_newest_first_with_running_balances(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        var client = await app.WriterAsync();
        var user = await client.CreateUserAsync();
        foreach (var amount in new[] { "1.00", "2.50", "0.01" })
        {
            await client.CreditAsync(user, amount);
        }

        var first = await (await client.GetAsync($"/api/v1/users/{user}/ledger?limit=2")).OkAsync();
        Assert.Equal(["0.01", "2.50"], first.GetProperty("data").EnumerateArray().Select(e => e.Str("amount")));
        Assert.Equal(["3.51", "3.50"], first.GetProperty("data").EnumerateArray().Select(e => e.Str("balance_after")));
        var cursor = first.GetProperty("pagination").Str("next_cursor");
        var second = await (await client.GetAsync($"/api/v1/users/{user}/ledger?limit=2&cursor={cursor}")).OkAsync();
        Assert.Equal(["1.00"], second.GetProperty("data").EnumerateArray().Select(e => e.Str("balance_after")));
        Assert.False(second.GetProperty("pagination").GetProperty("has_more").GetBoolean());
        await (await client.GetAsync("/api/v1/users/usr_01aaaaaaaaaaaaaaaaaaaaaaaa/balance")).ErrorAsync(404, "USER_NOT_FOUND");
        await app.AssertBooksBalancedAsync();
    }
}
