using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.WebhookEndpoints.DeleteWebhookEndpoint;

/// <summary>Stops deliveries to the endpoint. The row stays (deleted_at) so its delivery log does too.</summary>
public static class DeleteWebhookEndpoint
{
    public sealed record Command(string Id) : ICommand<Result>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => "WEBHOOK_ENDPOINT_DELETE";

        string IAuditedCommand.AuditResourceType => "webhook_endpoint";

        string? IAuditedCommand.AuditResourceId => Id;
    }

    public sealed record Result(string Id, string Status);

    public sealed class Handler(Db db, TimeProvider clock) : ICommandHandler<Command, Result>
    {
        private const string DeleteSql = "UPDATE webhook_endpoints SET deleted_at = @now, status = 'DELETED', updated_at = @now WHERE id = @id";

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var endpoint = await WebhookStore.GetEndpointAsync(db, command.Id, cancellationToken);
            await db.ExecuteAsync(DeleteSql, new { id = endpoint.Id, now = clock.NowMs() }, cancellationToken);
            return new Result(endpoint.Id, "DELETED");
        }
    }
}
