using System.Net;
using Microsoft.Playwright;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.OperatorConsole;

/// <summary>The console in a real browser (Debian's chromium through Playwright) against the server
/// binary: a support agent's day and the admin's, with a screenshot of every page.</summary>
public sealed class ConsoleBrowserTests(Browser browser) : IClassFixture<Browser>
{
    private async Task<(string SupportKey, string Writer, OfferHub.Lite.Tests.Support.Escrow.Parties Parties, string DisputeId)> DisputedOrderAsync()
    {
        using var master = browser.Server.Client();
        var support = (await (await master.PostAsync("/api/v1/auth/api-keys", new { name = "support-ana", scopes = new[] { "support" } })).OkAsync(HttpStatusCode.Created)).Str("api_key");
        var writer = (await (await master.PostAsync("/api/v1/auth/api-keys", new { name = "backend", scopes = new[] { "read", "write" } })).OkAsync(HttpStatusCode.Created)).Str("api_key");
        using var client = browser.Server.Client(writer);
        var parties = await client.FundedOrderAsync("100.00", "100.00");
        var disputeId = (await (await client.PostNewAsync($"/api/v1/orders/{parties.Order}/disputes", new { opened_by = "buyer", reason = "only half of the work was delivered" }))
            .OkAsync(HttpStatusCode.Created)).Str("dispute_id");
        return (support, writer, parties, disputeId);
    }

    private static async Task SignInAsync(IPage page, string key)
    {
        await page.GotoAsync("/console/sign-in");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    [SkippableFact]
    public async Task A_support_agent_signs_in_resolves_a_dispute_by_split_and_sees_the_balances_change()
    {
        Browser.SkipUnlessAvailable();
        var (supportKey, _, parties, disputeId) = await DisputedOrderAsync();
        var page = await browser.NewPageAsync();

        await page.GotoAsync("/console");
        Assert.Contains("/console/sign-in", page.Url, StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "01-sign-in");
        await SignInAsync(page, "ohk_test_wrong");
        Assert.Contains("That key is not valid", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "02-sign-in-wrong-key");

        await SignInAsync(page, supportKey);
        await page.WaitForURLAsync("**/console");
        Assert.Contains("support-ana", await page.Locator(".account").InnerTextAsync(), StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "03-overview");

        await page.GetByRole(AriaRole.Link, new() { Name = "Disputes", Exact = true }).ClickAsync();
        await Browser.ScreenshotAsync(page, "04-disputes");
        await page.GetByRole(AriaRole.Link, new() { Name = disputeId }).ClickAsync();
        Assert.Equal("0.00", await page.Locator("[data-balance=seller-available]").InnerTextAsync());

        await page.GetByLabel("Split between them").CheckAsync();
        await page.GetByLabel("To the seller (split)").FillAsync("70.00");
        await page.GetByLabel("To the buyer (split)").FillAsync("20.00");
        Assert.Contains("but the escrow holds 100.00 (10.00 unassigned)", await page.Locator("#split-check").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).IsDisabledAsync());
        await page.GetByLabel("To the buyer (split)").FillAsync("30.00");
        Assert.Contains("Adds up: 70.00 + 30.00 = 100.00", await page.Locator("#split-check").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Note (kept with the decision)").FillAsync("70/30: most of the work was delivered.");
        await Browser.ScreenshotAsync(page, "05-dispute-split");

        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await page.WaitForURLAsync("**?done=resolved");
        Assert.Equal("70.00", await page.Locator("[data-balance=seller-available]").InnerTextAsync());
        Assert.Equal("30.00", await page.Locator("[data-balance=buyer-available]").InnerTextAsync());
        await Browser.ScreenshotAsync(page, "06-dispute-resolved");

        var forged = await page.Context.APIRequest.PostAsync($"/console/disputes/{disputeId}/comment", new() { Form = page.Context.APIRequest.CreateFormData().Set("message", "forged") });
        Assert.Equal(403, forged.Status);
        Assert.Contains("did not come from your console", await forged.TextAsync(), StringComparison.Ordinal);

        await page.GotoAsync("/console/admin/keys");
        Assert.Contains("Master key needed", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "07-admin-refused-for-support");

        await page.GotoAsync("/console/lookup?q=" + parties.Buyer);
        await Browser.ScreenshotAsync(page, "08-lookup");
        await page.GetByRole(AriaRole.Link, new() { Name = parties.Buyer }).First.ClickAsync();
        Assert.Equal("30.00", await page.Locator("[data-balance=available]").InnerTextAsync());
        await Browser.ScreenshotAsync(page, "09-user");
        await page.GotoAsync("/console/orders/" + parties.Order);
        await Browser.ScreenshotAsync(page, "10-order-timeline");

        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync($"/console/disputes/{disputeId}");
        await Browser.ScreenshotAsync(page, "11-dispute-phone");
        await page.SetViewportSizeAsync(1280, 800);

        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        Assert.Contains("You are signed out", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.GotoAsync($"/console/disputes/{disputeId}");
        Assert.Contains("/console/sign-in", page.Url, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_admin_creates_and_revokes_a_key_toggles_maintenance_and_sees_every_admin_page()
    {
        Browser.SkipUnlessAvailable();
        var (_, writer, _, _) = await DisputedOrderAsync();
        var page = await browser.NewPageAsync();
        await SignInAsync(page, ServerProcess.MasterKey);
        await page.WaitForURLAsync("**/console");

        await page.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("made-in-browser");
        await page.GetByLabel("read").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var key = (await page.Locator("[data-new-key]").InnerTextAsync()).Trim();
        Assert.StartsWith("ohk_test_", key, StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "12-keys-created");
        using (var withKey = browser.Server.Client(key))
        {
            Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/api/v1/users")).StatusCode);
            await page.GetByRole(AriaRole.Button, new() { Name = "Revoke made-in-browser" }).ClickAsync();
            await page.WaitForURLAsync("**?done=revoked");
            Assert.Equal(HttpStatusCode.Unauthorized, (await withKey.GetAsync("/api/v1/users")).StatusCode);
        }

        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "13-keys-revoked");

        await page.GetByRole(AriaRole.Link, new() { Name = "Maintenance" }).ClickAsync();
        await page.GetByLabel("Message for API clients").FillAsync("Back at 10:00 UTC");
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch maintenance on" }).ClickAsync();
        await page.WaitForURLAsync("**?done=on");
        Assert.Contains("Maintenance is on", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "14-maintenance-on");
        using (var api = browser.Server.Client(writer))
        {
            // Each instance trusts its last read of the switch for up to a second.
            await Eventually.UntilAsync(
                () => api.PostNewAsync("/api/v1/users", new { external_user_id = "during-maintenance-" + Guid.NewGuid().ToString("N"), type = "buyer" }),
                r => r.StatusCode == HttpStatusCode.ServiceUnavailable, r => $"not refused during maintenance: {(int)r.StatusCode}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Switch maintenance off" }).ClickAsync();
            await page.WaitForURLAsync("**?done=off");
            await Eventually.UntilAsync(
                () => api.PostNewAsync("/api/v1/users", new { external_user_id = "after-maintenance-" + Guid.NewGuid().ToString("N"), type = "buyer" }),
                r => r.StatusCode == HttpStatusCode.Created, r => $"still refused after maintenance off: {(int)r.StatusCode}");
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        await page.GetByLabel("URL").FillAsync("http://127.0.0.1:9/offerhub-hook");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
        Assert.StartsWith("whsec_", (await page.Locator("[data-new-secret]").InnerTextAsync()).Trim(), StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "15-webhooks");
        await page.GetByRole(AriaRole.Link, new() { Name = "http://127.0.0.1:9/offerhub-hook" }).ClickAsync();
        await Browser.ScreenshotAsync(page, "16-webhook-deliveries");

        await page.GetByRole(AriaRole.Link, new() { Name = "Operations" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ledger proof now" }).ClickAsync();
        Assert.Contains("Ledger proof made now", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "17-operations");
        await page.GetByRole(AriaRole.Link, new() { Name = "Health" }).ClickAsync();
        Assert.Contains("database", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "18-health");
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview" }).ClickAsync();
        await Browser.ScreenshotAsync(page, "19-overview-admin");
    }
}
