using Mediator;
using OfferHub.Lite.Infrastructure.Configuration;

namespace OfferHub.Lite.Features.WebhookEndpoints.DeliverWebhooks;

/// <summary>Runs the webhook delivery slice every poll interval; the logic lives in the slice.</summary>
public sealed partial class DeliveryLoop(IServiceScopeFactory scopes, OfferHubOptions options, ILogger<DeliveryLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Webhooks.PollIntervalMs));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ISender>().Send(new DeliverWebhooks.Command(), stoppingToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                // Deliveries stay queued; the next tick tries again.
                LogFailed(failure.GetType().Name, failure.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery run failed ({Failure}: {Message})")]
    private partial void LogFailed(string failure, string message);
}
