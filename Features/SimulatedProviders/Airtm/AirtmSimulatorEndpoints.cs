using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Providers.Airtm;

namespace OfferHub.Lite.Features.SimulatedProviders.Airtm;

/// <summary>The simulator's HTTP face under /sim/airtm: the Enterprise API v2 (Basic auth checked,
/// Airtm's shapes and error bodies), the payer's checkout page, and the test controls.</summary>
public static class AirtmSimulatorEndpoints
{
    public const string Root = "/sim/airtm";

    /// <summary>The key of this simulator's <see cref="SimulatorFaults"/> in the container.</summary>
    public const string Faults = "airtm";

    public static void MapAirtmSimulator(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Root + "/v2").AllowWithoutToken().ExcludeFromDescription().AddEndpointFilter(ApiFilterAsync);
        api.MapGet("/me", (AirtmSimulator sim) => Json(sim.Me()));
        api.MapGet("/me/balance", (AirtmSimulator sim) => Json(sim.Balance()));
        api.MapGet("/users/{email}", (string email, AirtmSimulator sim) => Found(sim.FindUser(email), AirtmReasonCodes.ItemNotFound, "User not found"));
        api.MapPost("/payins", async (HttpRequest request, AirtmSimulator sim) => Json(sim.CreatePayin(await ReadAsync<CreatePayinRequest>(request))));
        api.MapGet("/payins", (HttpRequest request, AirtmSimulator sim) => Json(sim.ListPayins(Page(request.Query, PayinStatuses))));
        api.MapGet("/payins/{id}", (string id, AirtmSimulator sim) => Found(sim.GetPayin(id), AirtmReasonCodes.PayinNotFound, "Payin not found"));
        api.MapGet("/payins/by-code/{code}", (string code, AirtmSimulator sim) => Found(sim.FindPayinByCode(code), AirtmReasonCodes.PayinNotFound, "Payin not found"));
        api.MapDelete("/payins/{id}", (string id, AirtmSimulator sim) => Json(sim.CancelPayin(id)));
        api.MapPost("/payouts", async (HttpRequest request, AirtmSimulator sim) => Json(sim.CreatePayout(await ReadAsync<CreatePayoutRequest>(request))));
        api.MapGet("/payouts", (HttpRequest request, AirtmSimulator sim) => Json(sim.ListPayouts(Page(request.Query, PayoutStatuses))));
        api.MapGet("/payouts/{id}", (string id, AirtmSimulator sim) => Found(sim.GetPayout(id), AirtmReasonCodes.PayoutNotFound, "Payout not found"));
        api.MapGet("/payouts/by-code/{code}", (string code, AirtmSimulator sim) => Found(sim.FindPayoutByCode(code), AirtmReasonCodes.PayoutNotFound, "Payout not found"));
        api.MapDelete("/payouts/{id}", (string id, AirtmSimulator sim) => Json(sim.CancelPayout(id)));
        api.MapPost("/payouts/{id}/commit", (string id, AirtmSimulator sim) =>
        {
            sim.CommitPayout(id);
            return Results.NoContent();
        });
        // Anything else under the API answers like Airtm: an error body, never the app's own 404.
        api.Map("/{**rest}", () => Error(404, AirtmReasonCodes.ItemNotFound, "Not found"));

        // The payer's page, where Airtm's document sends the payer: https://<API host>/payin/:id.
        var page = app.MapGroup(Root + "/payin").AllowWithoutToken().ExcludeFromDescription();
        page.MapGet("/{id}", (string id, AirtmSimulator sim) => AirtmCheckoutPage.Show(sim, id));
        page.MapPost("/{id}/confirm", async (string id, HttpRequest request, AirtmSimulator sim, CancellationToken ct) =>
        {
            var form = await request.ReadFormAsync(ct);
            return await AirtmCheckoutPage.DecideAsync(sim, id, payin => sim.ConfirmPayin(payin.Id, form["email"].ToString()), ct);
        });
        page.MapPost("/{id}/cancel", (string id, AirtmSimulator sim, CancellationToken ct) =>
            AirtmCheckoutPage.DecideAsync(sim, id, payin => sim.CancelPayin(payin.Id), ct));
        page.MapGet("/{id}/return", (string id, AirtmSimulator sim) => AirtmCheckoutPage.Returned(sim, id));

        var control = app.MapGroup(Root + "/_control").AllowWithoutToken().ExcludeFromDescription().AddEndpointFilter(ErrorFilterAsync);
        control.MapPost("/users", (ControlUser body, AirtmSimulator sim) => Json(sim.AddUser(body.Email, body.Status ?? "active")));
        control.MapGet("/payins", (string? code, AirtmSimulator sim) => Json(sim.ListPayins(AllOf).Items.Where(p => code is null || p.Code == code).ToList()));
        control.MapGet("/payouts", (string? email, AirtmSimulator sim) =>
            Json(sim.ListPayouts(AllOf).Items.Where(p => email is null || string.Equals(p.AirtmUserEmail, email, StringComparison.OrdinalIgnoreCase)).ToList()));
        control.MapPost("/payins/{id}/confirm", (string id, ControlPayer body, AirtmSimulator sim) => Json(sim.ConfirmPayin(id, body.Email)));
        control.MapPost("/payins/{id}/reject", (string id, AirtmSimulator sim) => Json(sim.RejectPayin(id, "REJECTED")));
        control.MapPost("/payins/{id}/cancel", (string id, AirtmSimulator sim) => Json(sim.CancelPayin(id)));
        control.MapPost("/payouts/outcome", (ControlOutcome body, AirtmSimulator sim) =>
        {
            sim.SetCommitOutcome(body.Outcome);
            return Results.NoContent();
        });
        control.MapPost("/payouts/{id}/status", (string id, ControlPayoutStatus body, AirtmSimulator sim) => Json(sim.SetPayoutStatus(id, body.Status, body.ReasonCode)));
        control.MapPost("/faults", (ControlFault body, [FromKeyedServices(Faults)] SimulatorFaults faults) =>
        {
            faults.Add(new SimulatorFaults.Fault(body.Status, body.HangSeconds ?? 0), body.Count ?? 1);
            return Results.NoContent();
        });
        // Faults no call has met yet are dropped; the counts say what was queued and applied.
        control.MapDelete("/faults", ([FromKeyedServices(Faults)] SimulatorFaults faults) => Results.Json(new { dropped = faults.Clear() }));
        control.MapGet("/faults", ([FromKeyedServices(Faults)] SimulatorFaults faults) => Results.Json(faults.Count()));
        control.MapPost("/callbacks", (ControlCallbacks body, AirtmCallbacks callbacks) =>
        {
            callbacks.SetMode(new AirtmCallbacks.CallbackMode(body.Mode ?? "normal", body.DelayMs ?? 0));
            return Results.NoContent();
        });
        control.MapPost("/callbacks/release", (ControlRelease body, AirtmCallbacks callbacks) => Json(new { released = callbacks.Release(body.Order == "reverse") }));
        control.MapGet("/callbacks/pending", (AirtmCallbacks callbacks) => Results.Json(callbacks.Count()));
        control.MapGet("/operator-balance", (AirtmSimulator sim) => Json(new { amount = AirtmMoney.ToUsd(sim.EnterpriseBalanceCents) }));
    }

    public sealed record ControlUser(string Email, string? Status);

    public sealed record ControlPayer(string Email);

    public sealed record ControlOutcome(string Outcome);

    public sealed record ControlPayoutStatus(string Status, string? ReasonCode);

    public sealed record ControlFault(int? Status, double? HangSeconds, int? Count);

    public sealed record ControlCallbacks(string? Mode, int? DelayMs);

    public sealed record ControlRelease(string? Order);

    /// <summary>Basic auth as Airtm checks it, then any fault a test queued: a 500 instead of the
    /// call, or the call's effect followed by a hang (the response is lost to a timing-out client).</summary>
    private static async ValueTask<object?> ApiFilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var options = http.RequestServices.GetRequiredService<OfferHubOptions>();
        var expected = Encoding.UTF8.GetBytes("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Airtm.ApiKey}:{options.Airtm.ApiSecret}")));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString()), expected))
        {
            return Error(401, AirtmReasonCodes.Unauthorized, "Unauthorized request");
        }

        return await http.RequestServices.GetRequiredKeyedService<SimulatorFaults>(Faults).ApplyAsync(http, () => ErrorFilterAsync(context, next),
            status => Error(status, AirtmReasonCodes.UnexpectedError, "Simulated failure"));
    }

    private static async ValueTask<object?> ErrorFilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (AirtmSimulator.SimulatorException error)
        {
            return Error(error.Status, error.Code, error.Message, error.Details);
        }
    }

    private static readonly string[] PayinStatuses = ["CREATED", "CONFIRMED", "CANCELED", "PROCESSING", "FAILED", "BRIDGE_FAILED", "BRIDGE_CANCELED"];

    private static readonly string[] PayoutStatuses =
    [
        "BRIDGE_COMPLETED", "BRIDGE_CREATED", "BRIDGE_FAILED", "BRIDGE_MAX_RETRIES_REACHED", "BRIDGE_USER_SIGNUP_PENDING", "CANCELED", "CANCEL_REQUESTED",
        "COMMITTED", "COMPLETED", "COSMOEM_COMPLETED", "CREATED", "ERROR", "FAILED", "PENDING", "PENDING_SIGNATURE", "SIGNED", "PENDING_USER_ACTION", "PROCESSING",
    ];

    private static readonly AirtmSimulator.PageRequest AllOf = new(null, null, int.MaxValue, null);

    /// <summary>Request bodies are read as strictly as the document's schemas are written: every
    /// required field present, no field the schema does not name (additionalProperties: false).</summary>
    private static readonly JsonSerializerOptions StrictRequests = new(AirtmJson.Options)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>The list parameters: perPage an integer in 10–1000 (default 100), status one of the enum.</summary>
    private static AirtmSimulator.PageRequest Page(IQueryCollection query, string[] statuses)
    {
        var perPage = 100;
        if (query.TryGetValue("perPage", out var size)
            && (!int.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out perPage) || perPage < AirtmClient.MinPerPage || perPage > AirtmClient.MaxPerPage))
        {
            throw Invalid("perPage", $"perPage must be an integer from {AirtmClient.MinPerPage} to {AirtmClient.MaxPerPage}");
        }

        var status = query.TryGetValue("status", out var given) ? given.ToString() : null;
        if (status is not null && !statuses.Contains(status, StringComparer.OrdinalIgnoreCase))
        {
            throw Invalid("status", "unknown status");
        }

        return new AirtmSimulator.PageRequest(query["before"].FirstOrDefault(), query["after"].FirstOrDefault(), perPage, status);
    }

    private static AirtmSimulator.SimulatorException Invalid(string field, string message) =>
        new(400, AirtmReasonCodes.InvalidRequest, message, new Dictionary<string, object?> { ["field"] = field });

    // Airtm's bodies are camelCase; the app's own JSON options are snake_case.
    private static async Task<T> ReadAsync<T>(HttpRequest request)
    {
        try
        {
            return await request.ReadFromJsonAsync<T>(StrictRequests) ?? throw new JsonException("null body");
        }
        catch (Exception malformed) when (malformed is JsonException or InvalidOperationException)
        {
            throw new AirtmSimulator.SimulatorException(400, AirtmReasonCodes.InvalidRequestFormat, "Invalid request format");
        }
    }

    private static IResult Json(object value, int status = 200) => Results.Json(value, AirtmJson.Options, statusCode: status);

    private static IResult Found(object? value, string code, string message) => value is null ? Error(404, code, message) : Json(value);

    private static IResult Error(int status, string code, string message, IReadOnlyDictionary<string, object?>? data = null) =>
        Json(new AirtmError(code, message, data), status);
}
