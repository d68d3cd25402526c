using System.Buffers;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Paging;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Events;

/// <summary>GET /events: the live Server-Sent Events stream for Accept: text/event-stream, a JSON
/// page of stored events otherwise; same filters.</summary>
public static class EventRoutes
{
    public static void MapEventRoutes(this IEndpointRouteBuilder app) =>
        app.MapApiGroup("", "Events")
            .MapGet("/events", async (HttpContext http, [AsParameters] ListEvents.ListEvents.Query query, ISender sender, CancellationToken ct) =>
            {
                if (!http.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
                {
                    return Results.Ok(await sender.Send(query, ct));
                }

                var lastEventId = http.Request.Headers["Last-Event-ID"].ToString();
                await StreamAsync(http, sender, new StreamEvents.StreamEvents.Query(query.Types, query.UserId, query.ResourceType, query.ResourceId,
                    lastEventId.Length > 0 ? lastEventId : query.Cursor), ct);
                return Results.Empty;
            })
            .RequireScope(Scopes.Read)
            .AllowUserToken(new UserTokenAccess.FilteredByUser())
            .WithName("ListEvents")
            .WithSummary("Stored domain events after a cursor, oldest first; with Accept: text/event-stream, the live stream")
            .Produces<Page<EventResponse>>()
            .ProducesErrors(400, 401, 403, 429);

    private static async Task StreamAsync(HttpContext http, ISender sender, StreamEvents.StreamEvents.Query query, CancellationToken ct)
    {
        var services = http.RequestServices;
        // Authentication read the key through the request's connection; a stream must not keep it.
        await services.GetRequiredService<Infrastructure.Database.Db>().ReleaseConnectionAsync();
        var owner = services.GetRequiredService<RequestContext>().IdempotencyOwner;
        using var slot = services.GetRequiredService<StreamEvents.StreamEvents.Slots>().TryTake(owner, query.UserId)
            ?? throw new ApiException(429, ApiErrors.RateLimited, "This API key already has a stream open for this user_id", new Dictionary<string, object?>
            {
                ["retry_after"] = 1,
                ["limit"] = 1,
                ["window"] = "open stream",
            });
        // On shutdown the stream ends at once with a last word, so that SIGTERM is not held up by
        // clients that never hang up; they reconnect (to this or another instance) with Last-Event-ID.
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping);
        await using var items = sender.CreateStream(query, ended.Token).GetAsyncEnumerator(ended.Token);
        try
        {
            // Validation errors surface here, before any header is sent.
            if (!await items.MoveNextAsync())
            {
                return;
            }

            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            var retry = services.GetRequiredService<OfferHubOptions>().Events.RetryHintMs;
            await WriteAsync(http, $"retry: {retry}\n\n", ct);
            do
            {
                await WriteAsync(http, items.Current, ct);
            }
            while (await items.MoveNextAsync());
            if (stopping.IsCancellationRequested)
            {
                await WriteAsync(http, ShuttingDown, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && http.Response.HasStarted)
        {
            await WriteAsync(http, ShuttingDown, ct);
        }
    }

    private const string ShuttingDown = ": server shutting down, reconnect with Last-Event-ID\n\n";

    private static ReadOnlySpan<byte> Ping => ": ping\n\n"u8;

    /// <summary>Copies the frames (already UTF-8) into the response and flushes once for all of them.</summary>
    private static async Task WriteAsync(HttpContext http, StreamEvents.StreamEvents.Item item, CancellationToken ct)
    {
        var body = http.Response.BodyWriter;
        if (item.Frames.Length == 0)
        {
            body.Write(Ping);
        }

        foreach (var frame in item.Frames)
        {
            body.Write(frame.Span);
        }

        await body.FlushAsync(ct);
    }

    private static async Task WriteAsync(HttpContext http, string text, CancellationToken ct)
    {
        await http.Response.WriteAsync(text, ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
