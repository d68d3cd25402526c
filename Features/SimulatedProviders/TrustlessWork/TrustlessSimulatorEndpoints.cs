using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Providers.TrustlessWork;

namespace OfferHub.Lite.Features.SimulatedProviders.TrustlessWork;

/// <summary>The simulator's HTTP face under /sim/trustless-work: the escrow REST API (x-api-key
/// checked), a wallet-like signing service for the simulated roles, and the test controls.</summary>
public static class TrustlessSimulatorEndpoints
{
    public const string Root = "/sim/trustless-work";

    /// <summary>The key of this simulator's <see cref="SimulatorFaults"/> in the container.</summary>
    public const string Faults = "trustless_work";

    public static void MapTrustlessSimulator(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Root).AllowWithoutToken().ExcludeFromDescription().AddEndpointFilter(ApiFilterAsync);
        api.MapPost("/deployer/{kind}", async (string kind, HttpRequest request, TrustlessSimulator sim) =>
            Json(sim.Deploy(Kind(kind) == "multi-release", await BodyAsync(request))));
        api.MapPost("/escrow/{kind}/{operation}", async (string kind, string operation, HttpRequest request, TrustlessSimulator sim) =>
            Json(sim.Prepare(Kind(kind), operation, await BodyAsync(request))));
        api.MapPost("/helper/send-transaction", async (HttpRequest request, TrustlessSimulator sim) =>
            Json(sim.Send(await SignedXdrAsync(request))));

        // Array parameters in the form the official package's axios sends: contractIds[]=a&contractIds[]=b.
        api.MapGet("/helper/get-escrow-by-contract-ids", (HttpRequest request, TrustlessSimulator sim) =>
            Json(sim.Get(Required(request, "contractIds[]"))));
        api.MapGet("/helper/get-escrows-by-role", (HttpRequest request, TrustlessSimulator sim) =>
            Json(sim.ByRole(Required(request, "role")[0], Required(request, "roleAddress")[0], request.Query["engagementId"].FirstOrDefault())));
        api.MapGet("/helper/get-multiple-escrow-balance", (HttpRequest request, TrustlessSimulator sim) =>
            Json(sim.Balances(Required(request, "addresses[]"))));

        // The wallets of the simulated roles: the "external signing service" of simulated mode.
        app.MapPost(Root + "/signer", (SignRequest body, TrustlessSimulator sim) =>
                sim.HoldSignatures ? Results.Json(new { status = "held" }, statusCode: 202) : Results.Json(new { signed_xdr = sim.Sign(body.UnsignedXdr, body.SignerAddress) }))
            .AllowWithoutToken().ExcludeFromDescription();

        var control = app.MapGroup(Root + "/_control").AllowWithoutToken().ExcludeFromDescription();
        control.MapPost("/signing", (ControlSigning body, TrustlessSimulator sim) =>
        {
            sim.HoldSignatures = body.Hold;
            return Results.NoContent();
        });
        control.MapPost("/sign", (SignRequest body, TrustlessSimulator sim) => Results.Json(new { signed_xdr = sim.Sign(body.UnsignedXdr, body.SignerAddress) }));
        control.MapPost("/faults", (ControlFault body, [FromKeyedServices(Faults)] SimulatorFaults faults) =>
        {
            faults.Add(new SimulatorFaults.Fault(body.Status, body.HangSeconds ?? 0), body.Count ?? 1);
            return Results.NoContent();
        });
        // Faults no call has met yet are dropped; the counts say what was queued and applied.
        control.MapDelete("/faults", ([FromKeyedServices(Faults)] SimulatorFaults faults) => Results.Json(new { dropped = faults.Clear() }));
        control.MapGet("/faults", ([FromKeyedServices(Faults)] SimulatorFaults faults) => Results.Json(faults.Count()));
        // Off by default: Trustless Work sends no notifications; a test switches ours on.
        control.MapPost("/notifications", (ControlCallbacks body, TrustlessCallbacks callbacks) =>
        {
            callbacks.Enabled = body.Mode != "off";
            callbacks.SetMode(new SimulatorCallbacks.CallbackMode(body.Mode is null or "off" ? "normal" : body.Mode, body.DelayMs ?? 0));
            return Results.NoContent();
        });
        control.MapPost("/notifications/release", (ControlRelease body, TrustlessCallbacks callbacks) => Results.Json(new { released = callbacks.Release(body.Order == "reverse") }));
        control.MapGet("/notifications/pending", (TrustlessCallbacks callbacks) => Results.Json(callbacks.Count()));
        control.MapGet("/contracts/{id}", (string id, TrustlessSimulator sim) => sim.Get(id) is { } escrow ? Json(escrow) : Results.NotFound());
        control.MapGet("/wallets/{address}", (string address, TrustlessSimulator sim) => Json(sim.Balances([address])[0]));
    }

    public sealed record SignRequest(string UnsignedXdr, string SignerAddress);

    public sealed record ControlSigning(bool Hold);

    public sealed record ControlFault(int? Status, double? HangSeconds, int? Count);

    public sealed record ControlCallbacks(string? Mode, int? DelayMs);

    public sealed record ControlRelease(string? Order);

    private static async ValueTask<object?> ApiFilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var options = http.RequestServices.GetRequiredService<OfferHubOptions>();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(http.Request.Headers["x-api-key"].ToString()), Encoding.UTF8.GetBytes(options.Trustless.ApiKey!)))
        {
            return Error(401, "Invalid API key");
        }

        if (!http.RequestServices.GetRequiredService<TrustlessSimulator>().TryAdmit())
        {
            return Error(429, "Too many requests");
        }

        return await http.RequestServices.GetRequiredKeyedService<SimulatorFaults>(Faults).ApplyAsync(http, async () =>
        {
            try
            {
                return await next(context);
            }
            catch (TrustlessSimulator.SimulatorException error)
            {
                return Error(error.Status, error.Message);
            }
        }, status => Error(status, "Simulated failure"));
    }

    private static string Kind(string kind) =>
        kind is "single-release" or "multi-release" ? kind : throw new TrustlessSimulator.SimulatorException(404, $"Unknown escrow type {kind}");

    private static string[] Required(HttpRequest request, string name) =>
        request.Query[name] is { Count: > 0 } values && values.All(v => !string.IsNullOrEmpty(v))
            ? [.. values.OfType<string>()]
            : throw new TrustlessSimulator.SimulatorException(400, $"{name} is required");

    private static async Task<string> SignedXdrAsync(HttpRequest request)
    {
        var body = await BodyAsync(request);
        return body.ValueKind == JsonValueKind.Object && body.TryGetProperty("signedXdr", out var xdr) && xdr.ValueKind == JsonValueKind.String && xdr.GetString() is { Length: > 0 } text
            ? text
            : throw new TrustlessSimulator.SimulatorException(400, "signedXdr is required");
    }

    private static async Task<JsonElement> BodyAsync(HttpRequest request)
    {
        try
        {
            return await request.ReadFromJsonAsync<JsonElement>();
        }
        catch (JsonException)
        {
            throw new TrustlessSimulator.SimulatorException(400, "Malformed request body");
        }
    }

    private static IResult Json(object value) => Results.Json(value, TrustlessJson.Options);

    /// <summary>Trustless Work's error entity (REST docs, types/errors: ApiError = {message, code}).</summary>
    private static IResult Error(int status, string message) => Results.Json(new { message, code = status }, TrustlessJson.Options, statusCode: status);
}
