using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Escrow;

/// <summary>Configurations other than the default: client-side signing, and Trustless Work's rate limit.</summary>
public sealed class TrustlessModesTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task With_client_signing_every_step_waits_for_submit(Dialect dialect)
    {
        _ = fixture.Get(dialect);
        await using var app = new TestApp(dialect, fixture.NewDatabaseUrl(dialect), new Dictionary<string, string?> { ["TRUSTLESS_SIGNING"] = "client" });
        var client = await app.WriterAsync();
        var parties = await client.ReservedOrderAsync("15.00", "15.00");

        var waiting = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/escrow", new { })).OkAsync();
        Assert.Equal("ESCROW_CREATING", waiting.Str("status"));
        var pending = waiting.GetProperty("escrow").GetProperty("pending_signature");
        var signed = (await (await client.PostAsync($"{Support.Escrow.Control}/sign", new { unsigned_xdr = pending.Str("unsigned_xdr"), signer_address = pending.Str("signer_address") }))
            .OkAsync()).Str("signed_xdr");
        await (await client.PostNewAsync($"/api/v1/signatures/{pending.Str("id")}/submit", new { signed_xdr = signed })).OkAsync();

        Assert.Equal("ESCROW_FUNDING", (await client.OrderAsync(parties.Order)).Str("status"));
        var fund = await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/escrow/fund", null)).OkAsync();
        Assert.Equal("treasury", fund.GetProperty("escrow").GetProperty("pending_signature").Str("signer_role"));
        Assert.Equal(("0.00", "15.00"), await client.AvailableReservedAsync(parties.Buyer));
        await app.AssertBooksBalancedAsync();
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Past_Trustless_Works_rate_limit_the_provider_throttles_and_health_shows_it(Dialect dialect)
    {
        _ = fixture.Get(dialect);
        await using var app = new TestApp(dialect, fixture.NewDatabaseUrl(dialect), new Dictionary<string, string?> { ["OfferHub:Trustless:SimulatorRequestsPerMinute"] = "2" });
        var client = app.Client();

        Assert.Equal("ok", (await (await client.GetAsync("/api/v1/health")).OkAsync()).GetProperty("checks").Str("trustless_work"));
        Assert.Equal("ok", (await (await client.GetAsync("/api/v1/health")).OkAsync()).GetProperty("checks").Str("trustless_work"));
        var throttled = await (await client.GetAsync("/api/v1/health")).OkAsync();
        Assert.Equal(("degraded", "error"), (throttled.Str("status"), throttled.GetProperty("checks").Str("trustless_work")));

        var writer = await app.WriterAsync();
        var parties = await writer.ReservedOrderAsync("5.00", "5.00");
        var details = await (await writer.PostNewAsync($"/api/v1/orders/{parties.Order}/escrow", new { })).ErrorAsync(502, "PROVIDER_RATE_LIMITED");
        Assert.True(details.GetProperty("retry_recommended").GetBoolean());
    }
}
