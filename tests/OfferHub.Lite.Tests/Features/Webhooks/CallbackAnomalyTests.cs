using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using OfferHub.Lite.Features.Operations.Reconcile;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Features.Webhooks;

/// <summary>Validly signed callbacks that do not fit what we hold are acknowledged (so the provider
/// stops retrying), change nothing, and are flagged: an audit row, a warning, /health and the
/// reconciliation report. A signed body that is not JSON at all is a 400.</summary>
public sealed class CallbackAnomalyTests(AppFixture fixture) : BooksBalanced(fixture)
{
    private const string Control = Support.Airtm.Control;

    public static TheoryData<Dialect, string> Misfits()
    {
        var data = new TheoryData<Dialect, string>();
        foreach (var dialect in new[] { Dialect.Sqlite, Dialect.Postgres })
        {
            foreach (var misfit in new[] { "pay-in of another top-up", "pay-in of no top-up", "confirmed amount differs", "data not an object", "amount of the wrong type" })
            {
                data.Add(dialect, misfit);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Misfits))]
    public async Task A_signed_airtm_callback_that_does_not_fit_is_acknowledged_applied_never_and_flagged(Dialect dialect, string misfit)
    {
        var app = Fixture.Get(dialect);
        var client = await app.WriterAsync();
        var user = await client.CreateUserAsync("buyer");
        var email = await client.LinkAirtmAsync(user);
        await (await client.PostAsync($"{Control}/callbacks", new { mode = "drop" })).EnsureNoContentAsync();
        JsonObject payin;
        string otherTopup;
        try
        {
            var topup = await client.CreateTopupAsync(user, "25.00");
            otherTopup = (await client.CreateTopupAsync(user, "30.00")).Str("id");
            payin = JsonNode.Parse((await (await client.PostAsync($"{Control}/payins/{topup.PayinId()}/confirm", new { email })).OkAsync()).GetRawText())!.AsObject();
        }
        finally
        {
            await (await client.PostAsync($"{Control}/callbacks", new { mode = "normal" })).EnsureNoContentAsync();
        }

        JsonNode? data = payin;
        switch (misfit)
        {
            case "pay-in of another top-up":
                payin["code"] = otherTopup;
                break;
            case "pay-in of no top-up":
                payin["code"] = "topup_01aaaaaaaaaaaaaaaaaaaaaaaa";
                break;
            case "confirmed amount differs":
                payin["amount"] = 2500;
                break;
            case "data not an object":
                data = "confirmed";
                break;
            case "amount of the wrong type":
                payin["amount"] = "a lot";
                break;
        }

        var eventId = "msg_misfit_" + Guid.NewGuid().ToString("N");
        var body = new JsonObject { ["type"] = "payin.confirmed", ["data"] = data }.ToJsonString();
        var answer = await (await app.SendAirtmWebhookAsync(eventId, body)).OkAsync();

        Assert.True(answer.GetProperty("anomaly").GetBoolean());
        Assert.Equal("0.00", (await client.BalanceAsync(user)).Str("available"));
        await AssertFlaggedAsync(app, "airtm");
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_signed_trustless_notice_with_fields_of_the_wrong_type_is_acknowledged_and_flagged(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        var body = JsonSerializer.Serialize(new { event_id = "twe_misfit_" + Guid.NewGuid().ToString("N"), type = "escrow.fund-escrow", data = new { contract_id = 42, operation = new[] { "fund-escrow" } } });
        var response = await app.Client().SendAsync(TrustlessNotice(app, body, "application/json"));
        Assert.True((int)response.StatusCode == 200, string.Join("\n", app.Logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal))));
        var answer = await response.OkAsync();

        Assert.True(answer.GetProperty("anomaly").GetBoolean());
        await AssertFlaggedAsync(app, "trustless_work");
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task A_signed_body_that_is_not_json_is_a_400(Dialect dialect)
    {
        var app = Fixture.Get(dialect);
        await (await app.Client().SendAsync(TrustlessNotice(app, "not json at all", "text/plain"))).ErrorAsync(400, "INVALID_JSON");
        await (await app.SendAirtmWebhookAsync("msg_not_json_" + Guid.NewGuid().ToString("N"), "{\"type\":")).ErrorAsync(400, "INVALID_JSON");
    }

    private static async Task AssertFlaggedAsync(TestApp app, string provider)
    {
        using var master = app.Master();
        var audit = await (await master.GetAsync("/api/v1/audit/logs?action=WEBHOOK_ANOMALY&limit=100")).OkAsync();
        Assert.Contains(audit.GetProperty("data").EnumerateArray(), row => row.Str("action") == "WEBHOOK_ANOMALY");
        Assert.Contains(app.Logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains($"Signed {provider} callback does not fit", StringComparison.Ordinal));

        var health = await (await app.Client().GetAsync("/api/v1/health")).OkAsync();
        Assert.NotEqual("ok", health.GetProperty("checks").Str("webhooks"));
        Assert.Equal("degraded", health.Str("status"));

        await using var scope = app.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new Reconcile.Command(Fix: false));
        Assert.Contains(report.WebhookAnomalies, a => a.Provider == provider);
    }

    private static HttpRequestMessage TrustlessNotice(TestApp app, string body, string mediaType)
    {
        var secret = app.Services.GetRequiredService<OfferHubOptions>().Trustless.WebhookSecret!;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks/trustless-work") { Content = Http.RawContent(body, mediaType) };
        request.Headers.Add("TW-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body))));
        return request;
    }
}
