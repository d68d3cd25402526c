namespace OfferHub.Lite.Infrastructure.Observability;

/// <summary>Counts open live event streams: any GET answered as text/event-stream, from the
/// moment its headers go out until the request ends.</summary>
public sealed class EventStreamMeter(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) || !context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var open = false;
        context.Response.OnStarting(() =>
        {
            if (context.Response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true)
            {
                open = true;
                ProductMetrics.StreamOpened();
            }

            return Task.CompletedTask;
        });
        try
        {
            await next(context);
        }
        finally
        {
            if (open)
            {
                ProductMetrics.StreamClosed();
            }
        }
    }
}
