using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OfferHub.Lite.Features.Operations.Reconcile;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Operations;

/// <summary>The provider-balance reconciliation: after the worked example, a dispute split and a
/// withdrawal, every real place a provider reports holds what the ledger says, to the cent
/// (docs/money-model.md), with Trustless Work's and the platform's release fees switched on.</summary>
public sealed class ProviderBalancesTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task The_worked_example_a_dispute_split_and_a_withdrawal_leave_every_place_reconciled(Dialect dialect)
    {
        _ = fixture.Get(dialect);
        await using var app = new TestApp(dialect, fixture.NewDatabaseUrl(dialect), new Dictionary<string, string?>
        {
            ["OfferHub:Trustless:ProtocolFeePercent"] = "0.3",
            ["OfferHub:Trustless:PlatformFeePercent"] = "1",
        });
        var client = await app.WriterAsync();

        // The worked example: 100.00 in, an 80.00 order released (less 0.24 + 0.80 of fees), the seller withdraws.
        var example = await client.FundedOrderAsync("100.00", "80.00");
        await (await client.PostNewAsync($"/api/v1/orders/{example.Order}/release", new { mode = "FULL" })).OkAsync();
        Assert.Equal(("78.96", "0.00"), await client.AvailableReservedAsync(example.Seller));
        await client.LinkAirtmAsync(example.Seller);
        var withdrawal = await (await client.PostNewAsync("/api/v1/withdrawals", new { user_id = example.Seller, amount = "78.96", currency = "USD", commit = true }))
            .OkAsync(HttpStatusCode.Created);
        await client.WaitForStatusAsync($"/api/v1/withdrawals/{withdrawal.Str("id")}", "WITHDRAWAL_COMPLETED");

        // A dispute split: the resolution pays its distribution without fees.
        var disputed = await client.FundedOrderAsync("60.00", "60.00");
        var dispute = (await (await client.PostNewAsync($"/api/v1/orders/{disputed.Order}/disputes", new { opened_by = "buyer", reason = "half done" }))
            .OkAsync(HttpStatusCode.Created)).Str("dispute_id");
        await (await client.PostNewAsync($"/api/v1/disputes/{dispute}/resolve", new { decision = "SPLIT", amount_to_seller = "45.00", amount_to_buyer = "15.00" })).OkAsync();
        Assert.Equal(("45.00", "0.00"), await client.AvailableReservedAsync(disputed.Seller));
        Assert.Equal(("15.00", "0.00"), await client.AvailableReservedAsync(disputed.Buyer));

        // One escrow still open and funded, so that a contract holding money is reconciled too.
        var open = await client.FundedOrderAsync("30.00", "30.00");

        var report = await ReconcileAsync(app);
        Assert.True(report.LedgerBalanced);
        var treasury = Assert.Single(report.Places, p => p.Account == "treasury:wallet");
        Assert.Equal((0L, treasury.Ledger), (treasury.Difference, treasury.Provider));
        var escrows = report.Places.Where(p => p.Account.StartsWith("escrow:", StringComparison.Ordinal)).ToList();
        var openEscrow = Assert.Single(escrows);
        Assert.Equal(($"escrow:{open.Order}", 3000L, 3000L), (openEscrow.Account, openEscrow.Ledger, openEscrow.Provider));

        // The enterprise Airtm account holds the users' balances and the operator's own funds
        // (which paid Airtm's fees and back the treasury's float).
        var airtm = Assert.Single(report.Places, p => p.Account.StartsWith("user:*", StringComparison.Ordinal));
        Assert.Equal(0L, airtm.Difference);

        // The fees sit where the contract paid them.
        var wallet = await (await client.GetAsync($"{Support.Escrow.Control}/wallets/{app.Services.GetRequiredService<Infrastructure.Configuration.OfferHubOptions>().Trustless.PlatformAddress}")).OkAsync();
        Assert.Equal(0.80m, wallet.GetProperty("balance").GetDecimal());
        await app.AssertBooksBalancedAsync();
    }

    private static async Task<Reconcile.Report> ReconcileAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new Reconcile.Command(Fix: false));
    }
}
