using OfferHub.Lite.Features.Topups;
using OfferHub.Lite.Features.Withdrawals;
using OfferHub.Lite.Infrastructure.Providers;
using OfferHub.Lite.Infrastructure.Providers.Airtm;
using OfferHub.Lite.Tests.Fidelity;

namespace OfferHub.Lite.Tests.Unit;

public sealed class AirtmMappingTests
{
    [Theory]
    [InlineData("100.5", 10050)]
    [InlineData("0.01", 1)]
    [InlineData("9999999999.99", 999999999999)]
    [InlineData("12", 1200)]
    public void Airtm_amounts_convert_to_cents_exactly(string usd, long cents)
    {
        var value = decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(cents, AirtmMoney.ToCents(value));
        Assert.Equal(value, AirtmMoney.ToUsd(cents));
    }

    [Fact]
    public void An_amount_with_more_than_two_decimals_is_refused_not_rounded() =>
        Assert.Equal("PROVIDER_ERROR", Assert.Throws<ProviderException>(() => AirtmMoney.ToCents(1.005m)).Code);

    [Theory]
    [InlineData("TOPUP_AWAITING_USER_CONFIRMATION", "CONFIRMED", new[] { "confirm", "paid" })]
    [InlineData("TOPUP_CREATED", "CONFIRMED", new[] { "payin_created", "confirm", "paid" })]
    [InlineData("TOPUP_PROCESSING", "CREATED", null)]
    [InlineData("TOPUP_SUCCEEDED", "CANCELED", null)]
    public void A_payin_status_is_reached_through_the_transition_table(string current, string payinStatus, string[]? actions)
    {
        var path = TopupStates.Machine.PathTo(current, AirtmStatuses.TopupStatusFor(payinStatus)!);
        Assert.Equal(actions, path?.Select(t => t.Action).ToArray());
    }

    [Theory]
    [InlineData("WITHDRAWAL_CREATED", "COMPLETED", new[] { "commit", "payout_accepted", "payout_completed" })]
    [InlineData("WITHDRAWAL_PENDING_USER_ACTION", "PROCESSING", new[] { "payout_accepted" })]
    [InlineData("WITHDRAWAL_COMMITTED", "BRIDGE_FAILED", new[] { "payout_refused" })]
    [InlineData("WITHDRAWAL_COMPLETED", "FAILED", null)]
    public void A_payout_status_is_reached_through_the_transition_table(string current, string payoutStatus, string[]? actions)
    {
        var path = WithdrawalStates.Machine.PathTo(current, AirtmStatuses.WithdrawalStatusFor(payoutStatus)!);
        Assert.Equal(actions, path?.Select(t => t.Action).ToArray());
    }

    [Fact]
    public void Unknown_provider_statuses_map_to_nothing()
    {
        Assert.Null(AirtmStatuses.TopupStatusFor("SOMETHING_NEW"));
        Assert.Null(AirtmStatuses.WithdrawalStatusFor("SOMETHING_NEW"));
    }

    [Theory]
    [InlineData("522443")]
    [InlineData("\"522443\"")]
    public void A_payout_reason_code_is_read_as_a_number_or_a_string(string reasonCode)
    {
        var json = $$"""{"id":"7d5f3f4e-1111-4a4a-9b9b-000000000001","airtmUserId":"7d5f3f4e-1111-4a4a-9b9b-000000000002","airtmUserEmail":"a@b.c","status":"FAILED","grossAmount":10,"amount":10,"netAmount":9.9,"reasonCode":{{reasonCode}},"createdAt":"2025-08-20T17:01:44.634Z","updatedAt":"2025-08-20T17:01:44.634Z"}""";
        Assert.Equal("522443", System.Text.Json.JsonSerializer.Deserialize<Payout>(json, AirtmJson.Options)!.ReasonCode);
    }

    [Fact]
    public void An_answer_without_a_field_the_document_requires_is_refused()
    {
        var withoutFee = """{"id":"x","code":"c","status":"CREATED","amount":1,"netAmount":1,"description":"d","items":[],"createdAt":"2025-08-20T17:01:44.634Z","updatedAt":"2025-08-20T17:01:44.634Z","confirmationUri":"u","cancelUri":"u"}""";
        Assert.Throws<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<Payin>(withoutFee, AirtmJson.Options));
    }

    [Theory]
    [InlineData("completed", "WITHDRAWAL_COMPLETED")]
    [InlineData("Pending_User_Action", "WITHDRAWAL_PENDING_USER_ACTION")]
    public void Statuses_compare_case_insensitively(string payoutStatus, string expected)
    {
        Assert.Equal(expected, AirtmStatuses.WithdrawalStatusFor(payoutStatus));
        Assert.Equal("TOPUP_SUCCEEDED", AirtmStatuses.TopupStatusFor("confirmed"));
        Assert.True(AirtmStatuses.Is("ACTIVE", "active"));
    }

    [Fact]
    public void The_document_check_catches_a_simulator_that_drifts()
    {
        var document = AirtmOpenApi.Document;
        var payin = """{"id":"7d5f3f4e-1111-4a4a-9b9b-000000000001","code":"c","status":"CREATED","amount":1,"netAmount":0.99,"airtmFee":0.01,"description":"d","items":[],"createdAt":"2025-08-20T17:01:44.634Z","updatedAt":"2025-08-20T17:01:44.634Z","confirmationUri":"https://m.example/ok","cancelUri":"https://m.example/c"}""";
        Assert.Empty(document.CheckResponse("POST", "/payins", 200, payin));
        Assert.NotEmpty(document.CheckResponse("POST", "/payins", 201, payin));
        Assert.NotEmpty(document.CheckResponse("POST", "/payins", 200, payin.Replace("\"airtmFee\":0.01,", string.Empty, StringComparison.Ordinal)));
        Assert.NotEmpty(document.CheckResponse("POST", "/payins", 200, payin.Replace("\"CREATED\"", "\"PAID\"", StringComparison.Ordinal)));
        Assert.NotEmpty(document.CheckResponse("POST", "/payins", 200, payin.Replace("\"code\":\"c\",", "\"code\":\"c\",\"extra\":1,", StringComparison.Ordinal)));
        Assert.NotEmpty(document.CheckResponse("GET", "/payins/{id}", 404, """{"code":415031}"""));
        Assert.Empty(document.CheckResponse("GET", "/payins/{id}", 404, """{"code":"415031","message":"Payin not found"}"""));
        Assert.NotEmpty(document.CheckWebhook("""{"type":"payin.paid","data":{}}"""));
    }

    [SkippableFact]
    public void The_committed_copy_of_airtms_document_is_the_reference_one()
    {
        var reference = FindReference();
        Skip.If(reference is null, "SKIPPED: ../shared/reference/airtm is not beside this clone; the committed copy is used as is");
        Assert.Equal(File.ReadAllText(reference!), File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fidelity", AirtmOpenApi.FileName)));
        Assert.Equal("1.87.0", AirtmOpenApi.Document.Version);
    }

    private static string? FindReference()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference", "airtm", "enterprise-api-v2.openapi.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
