using System.Net;
using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

/// <summary>What a newcomer meets first: the server's address leads to the docs, and messages read
/// as plain sentences.</summary>
public sealed class FirstRunTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_root_address_points_to_the_api_reference()
    {
        var response = await fixture.Get(Dialect.Sqlite).Client().GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/docs", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Messages_keep_ordinary_characters_unescaped()
    {
        var response = await fixture.Get(Dialect.Sqlite).Master().GetAsync("/api/v1/events?types=NOT!A!TYPE");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'order.*' and '*' are wildcards", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_buyer_and_seller_are_reported_as_missing_not_as_equal()
    {
        var client = fixture.Get(Dialect.Sqlite).Master();
        var details = await (await client.PostNewAsync("/api/v1/orders", new { buyer_id = "", seller_id = "", amount = "10.00", currency = "USD" })).ErrorAsync(400, "VALIDATION_ERROR");
        var seller = details.GetProperty("fields").EnumerateArray().Where(f => f.Str("field") == "seller_id").Select(f => f.Str("message")).ToList();
        Assert.NotEmpty(seller);
        Assert.DoesNotContain(seller, m => m.Contains("differ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_refused_transition_reads_as_a_sentence() =>
        Assert.Equal("Cannot create escrow while the order is in state ORDER_CREATED",
            OrderStates.Machine.Invalid("ord_1", OrderStates.Created, "create_escrow").Message);
}
