using System.Text.Json;
using Mediator;
using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.Providers.TrustlessWork;
using OfferHub.Lite.Infrastructure.Providers;
using OfferHub.Lite.Infrastructure.Webhooks;

namespace OfferHub.Lite.Features.Webhooks.ReceiveTrustlessWebhook;

/// <summary>Our optional intake (Trustless Work itself sends no webhooks): a signed notification
/// from an indexer or relay the operator runs that an escrow transaction is on the network,
/// recorded once per event id, audited with a hash of the body, and used to confirm the step it
/// belongs to sooner than reconciliation would. It confirms; it does not start the next step.</summary>
public static partial class ReceiveTrustlessWebhook
{
    public sealed record Command(byte[] Body) : ICommand<Result>;

    public sealed record Result(string Status, bool Duplicate);

    public sealed partial class Handler(Db db, WebhookInbox inbox, SignatureLifecycle signatures, ILogger<Handler> logger) : ICommandHandler<Command, Result>
    {
        // The step waiting for this transaction: the current step of a running operation on the order.
        private const string WaitingSql = """
            SELECT s.id, s.operation, s.step, o.steps FROM signatures s
            JOIN escrow_operations o ON o.id = s.operation_id AND o.next_step = s.step AND o.status = 'RUNNING'
            WHERE s.order_id = @orderId AND s.status IN ('PENDING', 'SUBMITTED')
            """;

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            TrustlessNotification notification;
            try
            {
                notification = JsonSerializer.Deserialize<TrustlessNotification>(command.Body) ?? throw new JsonException("null");
            }
            catch (JsonException)
            {
                throw ProviderException.InvalidResponse(TrustlessClient.Provider, "the notification is not a Trustless Work event");
            }

            if (await inbox.RecordAsync(TrustlessClient.Provider, notification.EventId, notification.Type, command.Body, cancellationToken) is not { } received)
            {
                return new Result("ok", Duplicate: true);
            }

            var contractId = notification.Data.TryGetProperty("contract_id", out var c) ? c.GetString() : null;
            var operation = notification.Data.TryGetProperty("operation", out var o) ? o.GetString() : null;
            int? milestone = notification.Data.TryGetProperty("milestone_index", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt32() : null;
            var engagementId = notification.Data.TryGetProperty("engagement_id", out var e) ? e.GetString() : null;
            // A deploy's contract id is not ours yet: its escrow is found by the engagement id (our order id).
            var escrow = contractId is null ? null : await ResourceRows.FindAsync<EscrowRow>(db, EscrowStates.Table, EscrowRow.Columns, "contract_id", contractId, cancellationToken);
            if (escrow is null && operation == "deploy" && engagementId is not null)
            {
                escrow = await ResourceRows.FindAsync<EscrowRow>(db, EscrowStates.Table, EscrowRow.Columns, "order_id", engagementId, cancellationToken);
            }

            await inbox.AuditAsync(received, "order", escrow?.OrderId, contractId, cancellationToken);
            if (escrow is null)
            {
                LogUnknown(contractId ?? "none");
                return new Result("ok", Duplicate: false);
            }

            var waiting = await db.QueryAsync<WaitingStep>(WaitingSql, new { orderId = escrow.OrderId }, cancellationToken);
            var match = waiting.FirstOrDefault(w => EscrowSteps.ProviderOperation(w.Operation) == operation
                && StepOf(w).Milestone == (escrow.Multi ? milestone : StepOf(w).Milestone));
            await db.CheckpointAsync(cancellationToken);
            if (match is not null)
            {
                await signatures.ConfirmAsync(match.Id, cancellationToken, contractId);
            }

            return new Result("ok", Duplicate: false);
        }

        private static EscrowStep StepOf(WaitingStep waiting) =>
            (JsonSerializer.Deserialize<List<EscrowStep>>(waiting.Steps, ApiJson.Options) ?? [])[(int)waiting.Step];

        private sealed record WaitingStep(string Id, string Operation, long Step, string Steps);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Trustless Work notification for a contract we do not know ({ContractId}); recorded and ignored")]
        private partial void LogUnknown(string contractId);
    }
}
