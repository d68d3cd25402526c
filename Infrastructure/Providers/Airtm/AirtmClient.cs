using System.Globalization;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Infrastructure.Providers.Airtm;

/// <summary>Typed client for the Airtm Enterprise API v2, as its OpenAPI document (1.87.0) defines
/// it. Basic auth is set on the HttpClient at registration; nothing here logs a header, a body or
/// an e-mail address. Reads are retried once on a transient failure; writes never are: a lost
/// pay-in or payout create is recovered by looking it up by our code, either before creating again
/// or when Airtm answers that the code already exists.</summary>
public sealed class AirtmClient(HttpClient http, OfferHubOptions options, ILogger<AirtmClient> logger)
{
    public const string Provider = "airtm";

    /// <summary>CreatePayinRequest.description: "maximum: 250" in the document (meant as a length).</summary>
    public const int DescriptionMaxLength = 250;

    /// <summary>Payout notes: "cannot exceed 255 characters" (the document's validation rules).</summary>
    public const int NotesMaxLength = 255;

    /// <summary>The document's perPage bounds for every list.</summary>
    public const int MinPerPage = 10;
    public const int MaxPerPage = 1000;

    private readonly ProviderHttp transport = new(http, Provider, TimeSpan.FromSeconds(options.Airtm.TimeoutSeconds), AirtmJson.Options, logger,
        SimulatedCrash.For(options.AirtmMode));

    /// <summary>GET /me with our credentials, for /health.</summary>
    public Task<string> CheckAsync(CancellationToken ct) => transport.CheckAsync("me", ct);

    /// <summary>GET /me/balance, for the provider-balance reconciliation.</summary>
    public async Task<AirtmBalance> GetBalanceAsync(CancellationToken ct) =>
        await transport.ReadAsync<AirtmBalance>("get_balance", "me/balance", ct) ?? throw ProviderException.InvalidResponse(Provider, "GET /me/balance answered 404");

    public Task<AirtmUser?> FindUserAsync(string email, CancellationToken ct) =>
        transport.ReadAsync<AirtmUser>("get_user", $"users/{Uri.EscapeDataString(email)}", ct);

    /// <summary>POST /payins (200). If Airtm already has a pay-in under this code (415029: an earlier
    /// attempt reached it although its answer was lost), that pay-in is the answer.</summary>
    public async Task<Payin> CreatePayinAsync(CreatePayinRequest request, CancellationToken ct)
    {
        RequireLength(request.Description, DescriptionMaxLength, "description");
        try
        {
            return await transport.WriteAsync<Payin>("create_payin", HttpMethod.Post, "payins", request, ct);
        }
        catch (ProviderException duplicate) when (duplicate.ProviderCode == AirtmReasonCodes.PayinCodeExists)
        {
            return await FindPayinByCodeAsync(request.Code, ct) ?? throw Mapped(duplicate);
        }
        catch (ProviderException refused)
        {
            throw Mapped(refused);
        }
    }

    public Task<Payin?> GetPayinAsync(string id, CancellationToken ct) =>
        transport.ReadAsync<Payin>("get_payin", $"payins/{Uri.EscapeDataString(id)}", ct);

    public Task<Payin?> FindPayinByCodeAsync(string code, CancellationToken ct) =>
        transport.ReadAsync<Payin>("get_payin_by_code", $"payins/by-code/{Uri.EscapeDataString(code)}", ct);

    /// <summary>GET /payins: one page after the cursor (the previous page's endCursor).</summary>
    public async Task<AirtmPage<Payin>> ListPayinsAsync(string? after, int? perPage, CancellationToken ct) =>
        await transport.ReadAsync<AirtmPage<Payin>>("list_payins", PagePath("payins", after, perPage), ct)
        ?? throw ProviderException.InvalidResponse(Provider, "the pay-in list was not found");

    public async Task<Payin> CancelPayinAsync(string id, CancellationToken ct)
    {
        try
        {
            return await transport.WriteAsync<Payin>("cancel_payin", HttpMethod.Delete, $"payins/{Uri.EscapeDataString(id)}", null, ct);
        }
        catch (ProviderException refused)
        {
            throw Mapped(refused);
        }
    }

    /// <summary>POST /payouts (200). A 415056 (the code exists) means an earlier attempt created it:
    /// that payout is the answer.</summary>
    public async Task<Payout> CreatePayoutAsync(CreatePayoutRequest request, CancellationToken ct)
    {
        RequireLength(request.Notes, NotesMaxLength, "notes");
        try
        {
            return await transport.WriteAsync<Payout>("create_payout", HttpMethod.Post, "payouts", request, ct);
        }
        catch (ProviderException duplicate) when (duplicate.ProviderCode == AirtmReasonCodes.PayoutCodeExists && request.Code is { } code)
        {
            return await FindPayoutByCodeAsync(code, ct) ?? throw Mapped(duplicate);
        }
        catch (ProviderException refused)
        {
            throw Mapped(refused);
        }
    }

    /// <summary>POST /payouts/{id}/commit answers 204 with no body.</summary>
    public async Task CommitPayoutAsync(string id, CancellationToken ct)
    {
        try
        {
            await transport.WriteAsync("commit_payout", HttpMethod.Post, $"payouts/{Uri.EscapeDataString(id)}/commit", null, ct);
        }
        catch (ProviderException refused)
        {
            throw Mapped(refused);
        }
    }

    /// <summary>DELETE /payouts/{id}: Airtm cancels CREATED and PENDING payouts and returns the funds.</summary>
    public async Task<Payout> CancelPayoutAsync(string id, CancellationToken ct)
    {
        try
        {
            return await transport.WriteAsync<Payout>("cancel_payout", HttpMethod.Delete, $"payouts/{Uri.EscapeDataString(id)}", null, ct);
        }
        catch (ProviderException refused)
        {
            throw Mapped(refused);
        }
    }

    public Task<Payout?> GetPayoutAsync(string id, CancellationToken ct) =>
        transport.ReadAsync<Payout>("get_payout", $"payouts/{Uri.EscapeDataString(id)}", ct);

    public Task<Payout?> FindPayoutByCodeAsync(string code, CancellationToken ct) =>
        transport.ReadAsync<Payout>("get_payout_by_code", $"payouts/by-code/{Uri.EscapeDataString(code)}", ct);

    /// <summary>GET /payouts: one page after the cursor.</summary>
    public async Task<AirtmPage<Payout>> ListPayoutsAsync(string? after, int? perPage, CancellationToken ct) =>
        await transport.ReadAsync<AirtmPage<Payout>>("list_payouts", PagePath("payouts", after, perPage), ct)
        ?? throw ProviderException.InvalidResponse(Provider, "the payout list was not found");

    /// <summary>Airtm's reason codes that mean something to our callers become errors.md codes; the
    /// rest stay PROVIDER_ERROR with the reason code in details.</summary>
    public static ProviderException Mapped(ProviderException failure) => failure.ProviderCode switch
    {
        AirtmReasonCodes.RecipientInactive or AirtmReasonCodes.RecipientNotFound or "415008" or "415010" or "415060" or "415061" or "415062" or "415064" =>
            new ProviderException(422, ApiErrors.AirtmUserInvalid, "Airtm cannot pay this recipient", false, failure.Details),
        AirtmReasonCodes.InsufficientBalance =>
            new ProviderException(502, ApiErrors.ProviderError, "The marketplace's Airtm account has insufficient balance for this payout", false, failure.Details),
        _ => failure,
    };

    private static string PagePath(string resource, string? after, int? perPage)
    {
        var query = new List<string>();
        if (after is not null)
        {
            query.Add("after=" + Uri.EscapeDataString(after));
        }

        if (perPage is { } size)
        {
            query.Add("perPage=" + Math.Clamp(size, MinPerPage, MaxPerPage).ToString(CultureInfo.InvariantCulture));
        }

        return query.Count == 0 ? resource : resource + "?" + string.Join('&', query);
    }

    // Our own texts go into these fields, never a caller's: exceeding a documented limit is a bug here.
    private static void RequireLength(string value, int max, string field)
    {
        if (value.Length > max)
        {
            throw new InvalidOperationException($"Airtm's {field} is limited to {max} characters");
        }
    }
}
