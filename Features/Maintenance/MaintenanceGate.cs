using Mediator;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Features.Maintenance;

/// <summary>While maintenance is on, every mutating API request answers 503 MAINTENANCE with the
/// operator's message; reads, and provider webhooks (so that no confirmation is lost), go on.
/// The switch is read from the database at most every MaintenanceCacheMs per instance.</summary>
public sealed class MaintenanceGate(RequestDelegate next, OfferHubOptions options, TimeProvider clock)
{
    private volatile CachedState? cached;

    public async Task InvokeAsync(HttpContext context, ISender sender)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || !request.Path.StartsWithSegments("/api/v1") || request.Path.StartsWithSegments("/api/v1/webhooks"))
        {
            await next(context);
            return;
        }

        var state = await CurrentAsync(sender, context.RequestAborted);
        if (state.Enabled)
        {
            context.Response.Headers.RetryAfter = "60";
            throw new ApiException(503, ApiErrors.Maintenance, "The service is in maintenance mode", new Dictionary<string, object?> { ["message"] = state.Message });
        }

        await next(context);
    }

    private async Task<MaintenanceState> CurrentAsync(ISender sender, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (cached is { } hit && now - hit.ReadAt < TimeSpan.FromMilliseconds(options.MaintenanceCacheMs))
        {
            return hit.State;
        }

        var state = await sender.Send(new GetMaintenance.GetMaintenance.Query(), ct);
        cached = new CachedState(state, now);
        return state;
    }

    private sealed record CachedState(MaintenanceState State, DateTimeOffset ReadAt);
}
