using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.WebhookEndpoints.RetryDelivery;

/// <summary>Queues a delivery for another attempt now (after it failed, or to hurry a retry).</summary>
public static class RetryDelivery
{
    public sealed record Command(string Id) : ICommand<DeliveryResponse>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => "WEBHOOK_DELIVERY_RETRY";

        string IAuditedCommand.AuditResourceType => "webhook_delivery";

        string? IAuditedCommand.AuditResourceId => Id;
    }

    public sealed class Handler(Db db, TimeProvider clock) : ICommandHandler<Command, DeliveryResponse>
    {
        private const string RetrySql = """
            UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = @now, lease_until = NULL, updated_at = @now
            WHERE id = @id AND status <> 'DELIVERED'
            """;

        public async ValueTask<DeliveryResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var delivery = await WebhookStore.GetDeliveryAsync(db, command.Id, cancellationToken);
            await db.ExecuteAsync(RetrySql, new { id = delivery.Id, now = clock.NowMs() }, cancellationToken);
            return (await WebhookStore.ResponsesAsync(db, [await WebhookStore.GetDeliveryAsync(db, delivery.Id, cancellationToken)], cancellationToken))[0];
        }
    }
}
