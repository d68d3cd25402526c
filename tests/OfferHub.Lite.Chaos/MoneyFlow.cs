using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace OfferHub.Lite.Chaos;

/// <summary>One buyer and one seller of their own, and a money flow between them drawn from the
/// trial's random source before anything runs: a top-up, an order (with or without milestones),
/// reserve, escrow, fund, then a release, a refund, milestone by milestone, a cancel, or a dispute
/// resolved by a split, a release or a refund; then the seller (and sometimes the buyer)
/// withdraws. Every choice, amount and Idempotency-Key comes from the seed.</summary>
public sealed class MoneyFlow
{
    public const string Currency = "USD";

    private readonly Api api;
    private readonly HttpClient provider;
    private readonly string prefix;
    private readonly TimeSpan patience;
    private int step;

    /// <param name="patience">How long the client waits for an order or a top-up to move on.</param>
    public MoneyFlow(Api api, HttpClient provider, Random random, string prefix, TimeSpan patience)
    {
        this.api = api;
        this.patience = patience;
        this.provider = provider;
        this.prefix = prefix;
        BuyerEmail = $"{prefix}-buyer@chaos.sim";
        SellerEmail = $"{prefix}-seller@chaos.sim";
        BuyerStellar = Address(random);
        SellerStellar = Address(random);
        TopupCents = random.Next(20, 201) * 100L + random.Next(0, 100);
        OrderCents = random.Next(500, (int)TopupCents + 1);
        var pieces = random.Next(0, 3) switch { 0 => 0, 1 => 2, _ => 3 };
        Milestones = pieces == 0 ? [] : Split(OrderCents, pieces, random);
        Ending = random.Next(0, 10) switch
        {
            0 => "cancel",
            1 or 2 => "release",
            3 => "refund",
            4 or 5 when Milestones.Count > 0 => "milestones",
            4 or 5 => "release",
            6 => "dispute_release",
            7 => "dispute_refund",
            _ => "dispute_split",
        };
        ReleaseFirstMilestone = Milestones.Count > 0 && Ending.StartsWith("dispute", StringComparison.Ordinal) && random.Next(2) == 0;
        SplitToSellerPercent = random.Next(1, 100);
        BuyerWithdraws = random.Next(3) == 0;
        CompletesMilestones = random.Next(2) == 0;
    }

    public string BuyerEmail { get; }

    public string SellerEmail { get; }

    public string BuyerStellar { get; }

    public string SellerStellar { get; }

    public long TopupCents { get; }

    public long OrderCents { get; }

    public IReadOnlyList<long> Milestones { get; }

    public string Ending { get; }

    public bool ReleaseFirstMilestone { get; }

    public int SplitToSellerPercent { get; }

    public bool BuyerWithdraws { get; }

    public bool CompletesMilestones { get; }

    public string? Buyer { get; private set; }

    public string? Seller { get; private set; }

    public string? Order { get; private set; }

    public List<string> Topups { get; } = [];

    public List<string> Withdrawals { get; } = [];

    /// <summary>What the driver asked to go to the seller and back to the buyer (when it got that far).</summary>
    public long ExpectedReleased { get; private set; }

    public long ExpectedRefunded { get; private set; }

    public bool Finished { get; private set; }

    public string Describe() =>
        $"top-up {Cents(TopupCents)}, order {Cents(OrderCents)}" + (Milestones.Count > 0 ? $" in {Milestones.Count} milestones" : string.Empty) + $", {Ending}";

    public async Task RunAsync()
    {
        await (await provider.PostAsJsonAsync("/sim/airtm/_control/users", new { email = BuyerEmail, status = "active" })).Content.ReadAsStringAsync();
        await (await provider.PostAsJsonAsync("/sim/airtm/_control/users", new { email = SellerEmail, status = "active" })).Content.ReadAsStringAsync();
        Buyer = (await Write("create user", "/api/v1/users", new { external_user_id = prefix + "-buyer", type = "buyer" })).Str("id");
        Seller = (await Write("create user", "/api/v1/users", new { external_user_id = prefix + "-seller", type = "seller" })).Str("id");
        await Write("link airtm", $"/api/v1/users/{Buyer}/airtm/link", new { airtm_email = BuyerEmail });
        await Write("link airtm", $"/api/v1/users/{Seller}/airtm/link", new { airtm_email = SellerEmail });
        await Write("link stellar", $"/api/v1/users/{Buyer}/stellar/link", new { stellar_address = BuyerStellar });
        await Write("link stellar", $"/api/v1/users/{Seller}/stellar/link", new { stellar_address = SellerStellar });

        await TopUpAsync(Buyer, BuyerEmail, TopupCents);

        object[]? milestones = Milestones.Count == 0
            ? null
            : [.. Milestones.Select((amount, i) => new { milestone_ref = $"m{i + 1}", title = $"Part {i + 1}", amount = Cents(amount) })];
        Order = (await Write("create order", "/api/v1/orders", new { buyer_id = Buyer, seller_id = Seller, amount = Cents(OrderCents), currency = Currency, milestones })).Str("id");
        await Write("reserve", $"/api/v1/orders/{Order}/reserve", new { amount = Cents(OrderCents) });
        if (Ending == "cancel")
        {
            await Write("cancel order", $"/api/v1/orders/{Order}/cancel", new { });
        }
        else
        {
            await Write("create escrow", $"/api/v1/orders/{Order}/escrow", new { });
            await AwaitOrderAsync("ESCROW_FUNDING");
            await Write("fund escrow", $"/api/v1/orders/{Order}/escrow/fund", null);
            await AwaitOrderAsync("IN_PROGRESS");
            await EndAsync();
        }

        await AwaitOrderAsync("CLOSED");
        if (ExpectedReleased >= 500)
        {
            await WithdrawAsync(Seller, ExpectedReleased / 2 + 250);
        }

        if (BuyerWithdraws && TopupCents - OrderCents + ExpectedRefunded >= 500)
        {
            await WithdrawAsync(Buyer, 500);
        }

        Finished = true;
    }

    private async Task EndAsync()
    {
        if (CompletesMilestones && Milestones.Count > 0)
        {
            await Write("complete milestone", $"/api/v1/orders/{Order}/milestones/m1/complete", new { completed_by = "seller" });
            await Write("complete milestone", $"/api/v1/orders/{Order}/milestones/m1/complete", new { completed_by = "buyer" });
        }

        switch (Ending)
        {
            case "release":
                await Write("release", $"/api/v1/orders/{Order}/release", new { mode = "FULL" });
                ExpectedReleased = OrderCents;
                return;
            case "refund":
                await Write("refund", $"/api/v1/orders/{Order}/refund", new { mode = "FULL" });
                ExpectedRefunded = OrderCents;
                return;
            case "milestones":
                for (var i = 0; i < Milestones.Count; i++)
                {
                    await Write("release milestone", $"/api/v1/orders/{Order}/release", new { mode = "PARTIAL", milestone_ref = $"m{i + 1}" });
                    ExpectedReleased += Milestones[i];
                }

                return;
        }

        var inEscrow = OrderCents;
        if (ReleaseFirstMilestone)
        {
            await Write("release milestone", $"/api/v1/orders/{Order}/release", new { mode = "PARTIAL", milestone_ref = "m1" });
            ExpectedReleased += Milestones[0];
            inEscrow -= Milestones[0];
        }

        var dispute = (await Write("open dispute", $"/api/v1/orders/{Order}/disputes", new { opened_by = "buyer", reason = "chaos" })).Str("dispute_id");
        switch (Ending)
        {
            case "dispute_release":
                await Write("resolve dispute", $"/api/v1/disputes/{dispute}/resolve", new { decision = "FULL_RELEASE" });
                ExpectedReleased += inEscrow;
                return;
            case "dispute_refund":
                await Write("resolve dispute", $"/api/v1/disputes/{dispute}/resolve", new { decision = "FULL_REFUND" });
                ExpectedRefunded += inEscrow;
                return;
            default:
                var toSeller = Math.Clamp(inEscrow * SplitToSellerPercent / 100, 1, inEscrow - 1);
                if (inEscrow < 2)
                {
                    await Write("resolve dispute", $"/api/v1/disputes/{dispute}/resolve", new { decision = "FULL_RELEASE" });
                    ExpectedReleased += inEscrow;
                    return;
                }

                await Write("resolve dispute", $"/api/v1/disputes/{dispute}/resolve",
                    new { decision = "SPLIT", amount_to_seller = Cents(toSeller), amount_to_buyer = Cents(inEscrow - toSeller) });
                ExpectedReleased += toSeller;
                ExpectedRefunded += inEscrow - toSeller;
                return;
        }
    }

    /// <summary>A top-up the payer confirms on Airtm's side; if its callback is lost, the client
    /// refreshes it, as the API guide tells a backend to.</summary>
    private async Task TopUpAsync(string user, string email, long cents)
    {
        var topup = (await Write("create topup", "/api/v1/topups", new
        {
            user_id = user, amount = Cents(cents), currency = Currency, return_url = "https://chaos.example/r", cancel_url = "https://chaos.example/c",
        })).Str("id");
        Topups.Add(topup);
        var payin = await Until($"Airtm never received the pay-in of top-up {topup}", TimeSpan.FromSeconds(20), async () =>
        {
            var found = await provider.GetFromJsonAsync<JsonElement>($"/sim/airtm/_control/payins?code={topup}");
            return found.GetArrayLength() == 1 ? found[0].GetProperty("id").GetString() : null;
        });
        await (await provider.PostAsJsonAsync($"/sim/airtm/_control/payins/{payin}/confirm", new { email })).Content.ReadAsStringAsync();
        await AwaitStatusAsync($"/api/v1/topups/{topup}", "TOPUP_SUCCEEDED", $"/api/v1/topups/{topup}/refresh", "refresh topup");
    }

    private async Task WithdrawAsync(string user, long cents)
    {
        var withdrawal = (await Write("create withdrawal", "/api/v1/withdrawals", new { user_id = user, amount = Cents(cents), currency = Currency })).Str("id");
        Withdrawals.Add(withdrawal);
        await Write("commit withdrawal", $"/api/v1/withdrawals/{withdrawal}/commit", new { confirm = true });
        await AwaitStatusAsync($"/api/v1/withdrawals/{withdrawal}", "WITHDRAWAL_COMPLETED", $"/api/v1/withdrawals/{withdrawal}/refresh", "refresh withdrawal");
    }

    /// <summary>Polls for the status; after a while without it, asks the orchestrator to re-read
    /// the provider (a lost callback), then polls again.</summary>
    private async Task AwaitStatusAsync(string path, string status, string refresh, string route)
    {
        var rounds = Math.Max(4, (int)(patience.TotalSeconds / 3));
        for (var round = 0; round < rounds; round++)
        {
            var (started, down) = (DateTime.UtcNow, api.Downtime);
            while (DateTime.UtcNow < api.Deadline(started, down, TimeSpan.FromSeconds(3)))
            {
                var current = await api.GetAsync(path);
                if (current.Ok && current.Str("status") == status)
                {
                    return;
                }

                await Task.Delay(100);
            }

            await Write(route, refresh, null);
        }

        var last = await api.GetAsync(path);
        throw new FlowFailedException($"{path} stayed {(last.Ok ? last.Str("status") : last.ToString())}, never {status}");
    }

    private async Task AwaitOrderAsync(string status)
    {
        var (started, down) = (DateTime.UtcNow, api.Downtime);
        Answer order;
        do
        {
            order = await api.GetAsync($"/api/v1/orders/{Order}");
            if (order.Ok && order.Str("status") == status)
            {
                return;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < api.Deadline(started, down, patience));

        throw new FlowFailedException($"order {Order} stayed {(order.Ok ? order.Str("status") : order.ToString())}, never {status} ({patience.TotalSeconds:F0} s)");
    }

    private Task<Answer> Write(string route, string path, object? body) => api.WriteAsync(route, path, body, $"{prefix}-{++step}");

    private static async Task<string> Until(string failure, TimeSpan within, Func<Task<string?>> probe)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new FlowFailedException(failure);
    }

    /// <summary>Splits cents into parts of at least 1.00 each, at random.</summary>
    private static List<long> Split(long cents, int parts, Random random)
    {
        var result = new List<long>();
        var left = cents;
        for (var i = parts; i > 1; i--)
        {
            var most = left - ((i - 1) * 100);
            var part = most <= 100 ? 100 : random.NextInt64(100, most + 1);
            result.Add(part);
            left -= part;
        }

        result.Add(left);
        return result.Any(p => p < 100) ? [cents] : result;
    }

    private static string Address(Random random)
    {
        var key = new byte[32];
        random.NextBytes(key);
        return OfferHub.Lite.Infrastructure.Stellar.StellarAddress.FromPublicKey(key);
    }

    public static string Cents(long cents) =>
        (cents < 0 ? "-" : string.Empty) + (Math.Abs(cents) / 100).ToString(CultureInfo.InvariantCulture) + "." + (Math.Abs(cents) % 100).ToString("00", CultureInfo.InvariantCulture);
}
