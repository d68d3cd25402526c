using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Providers.Simulation;

namespace OfferHub.Lite.Infrastructure.Providers.Airtm.Simulator;

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
        api.MapGet("/me", (AirtmSimulator sim) => Json(new { id = "sim-enterprise", name = "OfferHub simulated enterprise", balance = AirtmMoney.ToUsd(sim.OperatorBalanceCents) }));
        api.MapGet("/me/balance", (AirtmSimulator sim) => Json(sim.Balance()));
        api.MapGet("/users/{email}", (string email, AirtmSimulator sim) => Found(sim.FindUser(email), "404010", "User not found"));
        api.MapPost("/payins", async (HttpRequest request, AirtmSimulator sim) => Json(sim.CreatePayin(await ReadAsync<CreatePayinRequest>(request)), 201));
        api.MapGet("/payins", (AirtmSimulator sim) => Json(new AirtmPage<Payin>(sim.ListPayins(), null, null)));
        api.MapGet("/payins/{id}", (string id, AirtmSimulator sim) => Found(sim.GetPayin(id), "404001", "Pay-in not found"));
        api.MapGet("/payins/by-code/{code}", (string code, AirtmSimulator sim) => Found(sim.FindPayinByCode(code), "404001", "Pay-in not found"));
        api.MapDelete("/payins/{id}", (string id, AirtmSimulator sim) => Json(sim.CancelPayin(id)));
        api.MapPost("/payouts", async (HttpRequest request, AirtmSimulator sim) => Json(sim.CreatePayout(await ReadAsync<CreatePayoutRequest>(request)), 201));
        api.MapGet("/payouts/{id}", (string id, AirtmSimulator sim) => Found(sim.GetPayout(id), "404002", "Payout not found"));
        api.MapGet("/payouts/by-code/{code}", (string code, AirtmSimulator sim) => Found(sim.FindPayoutByCode(code), "404002", "Payout not found"));
        api.MapDelete("/payouts/{id}", (string id, AirtmSimulator sim) => Json(sim.CancelPayout(id)));
        api.MapPost("/payouts/{id}/commit", (string id, AirtmSimulator sim) =>
        {
            sim.CommitPayout(id);
            return Results.NoContent();
        });

        var page = app.MapGroup(Root + "/checkout").AllowWithoutToken().ExcludeFromDescription().AddEndpointFilter(ErrorFilterAsync);
        page.MapGet("/{id}", (string id, AirtmSimulator sim) => CheckoutPage(sim, id));
        page.MapPost("/{id}/confirm", async (string id, HttpRequest request, AirtmSimulator sim) =>
        {
            var form = await request.ReadFormAsync();
            return Results.Redirect(sim.ConfirmPayin(id, form["email"].ToString()).ConfirmationUri);
        });
        page.MapPost("/{id}/cancel", (string id, AirtmSimulator sim) => Results.Redirect(sim.CancelPayin(id).CancelUri));

        var control = app.MapGroup(Root + "/_control").AllowWithoutToken().ExcludeFromDescription().AddEndpointFilter(ErrorFilterAsync);
        control.MapPost("/users", (ControlUser body, AirtmSimulator sim) => Json(sim.AddUser(body.Email, body.Status ?? "active")));
        control.MapGet("/payins", (string? code, AirtmSimulator sim) => Json(sim.ListPayins().Where(p => code is null || p.Code == code).ToList()));
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
        control.MapPost("/callbacks", (ControlCallbacks body, AirtmCallbacks callbacks) =>
        {
            callbacks.SetMode(new AirtmCallbacks.CallbackMode(body.Mode ?? "normal", body.DelayMs ?? 0));
            return Results.NoContent();
        });
        control.MapPost("/callbacks/release", (ControlRelease body, AirtmCallbacks callbacks) => Json(new { released = callbacks.Release(body.Order == "reverse") }));
        control.MapGet("/callbacks/pending", (AirtmCallbacks callbacks) => Json(new { pending = callbacks.Pending }));
        control.MapGet("/operator-balance", (AirtmSimulator sim) => Json(new { amount = AirtmMoney.ToUsd(sim.OperatorBalanceCents) }));
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
            return Error(401, "401001", "Invalid credentials");
        }

        return await http.RequestServices.GetRequiredKeyedService<SimulatorFaults>(Faults).ApplyAsync(http, () => ErrorFilterAsync(context, next),
            status => Error(status, status.ToString(System.Globalization.CultureInfo.InvariantCulture) + "000", "Simulated failure"));
    }

    private static async ValueTask<object?> ErrorFilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (AirtmSimulator.SimulatorException error)
        {
            return Error(error.Status, error.Code, error.Message);
        }
    }

    // Airtm's bodies are camelCase; the app's own JSON options are snake_case.
    private static async Task<T> ReadAsync<T>(HttpRequest request)
    {
        try
        {
            return await request.ReadFromJsonAsync<T>(AirtmJson.Options) ?? throw new JsonException("null body");
        }
        catch (JsonException)
        {
            throw new AirtmSimulator.SimulatorException(400, "400000", "Malformed request body");
        }
    }

    private static IResult Json(object value, int status = 200) => Results.Json(value, AirtmJson.Options, statusCode: status);

    private static IResult Found(object? value, string code, string message) => value is null ? Error(404, code, message) : Json(value);

    private static IResult Error(int status, string code, string message) => Json(new AirtmError(code, message), status);

    private static IResult CheckoutPage(AirtmSimulator sim, string id)
    {
        var payin = sim.GetPayin(id);
        if (payin is null)
        {
            return Results.Content("<!doctype html><title>Not found</title><p>Unknown pay-in.</p>", "text/html; charset=utf-8", statusCode: 404);
        }

        var options = string.Concat(sim.ActiveUsers().Select(u => $"<option value=\"{WebUtility.HtmlEncode(u.Email)}\">{WebUtility.HtmlEncode(u.Email)}</option>"));
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Airtm (simulated) checkout</title></head>
            <body>
            <h1>Pay {WebUtility.HtmlEncode(payin.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture))} USD</h1>
            <p>{WebUtility.HtmlEncode(payin.Description)}</p>
            <p>Status: <strong id="status">{payin.Status}</strong></p>
            <form id="confirm" method="post" action="{Root}/checkout/{WebUtility.HtmlEncode(payin.Id)}/confirm">
              <label>Pay as <select name="email">{options}</select></label>
              <button type="submit">Confirm</button>
            </form>
            <form id="cancel" method="post" action="{Root}/checkout/{WebUtility.HtmlEncode(payin.Id)}/cancel">
              <button type="submit">Cancel</button>
            </form>
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
