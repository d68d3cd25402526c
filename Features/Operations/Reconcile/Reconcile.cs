using Mediator;
using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Features.Topups.RefreshTopup;
using OfferHub.Lite.Features.Withdrawals.RefreshWithdrawal;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Ledger;
using OfferHub.Lite.Infrastructure.Webhooks;

namespace OfferHub.Lite.Features.Operations.Reconcile;

/// <summary>Provider reconciliation: every top-up, withdrawal and escrow operation waiting longer
/// than the threshold is re-read from its provider and advanced through the normal transitions
/// (with Fix), each in its own unit of work so that one failure stops nothing else; and the
/// ledger is proved. Without Fix it only reports what is stuck.</summary>
public static class Reconcile
{
    public sealed record Command(bool Fix) : ICommand<Report>;

    public sealed record Item(string Kind, string Id, string Before, string After, string? Error);

    /// <summary>A signed callback acknowledged without effect (see WebhookAnomalies), for a person to look at.</summary>
    public sealed record Anomaly(string AuditId, DateTimeOffset OccurredAt, string? Provider, string? Code, string? Reason);

    public sealed record Report(IReadOnlyList<Item> Stuck, bool LedgerBalanced, IReadOnlyList<LedgerMismatch> LedgerMismatches, long LedgerTotal,
        IReadOnlyList<Anomaly> WebhookAnomalies);

    public sealed class Handler(Db db, IServiceScopeFactory scopes, LedgerVerifier verifier, WebhookAnomalies anomalies, OfferHubOptions options, TimeProvider clock)
        : ICommandHandler<Command, Report>
    {
        private const string TopupsSql = """
            SELECT id, status FROM topups
            WHERE status IN ('TOPUP_CREATED', 'TOPUP_AWAITING_USER_CONFIRMATION', 'TOPUP_PROCESSING') AND updated_at < @before ORDER BY id
            """;

        private const string WithdrawalsSql = """
            SELECT id, status FROM withdrawals
            WHERE (status IN ('WITHDRAWAL_COMMITTED', 'WITHDRAWAL_PENDING', 'WITHDRAWAL_PENDING_USER_ACTION')
                   OR (status = 'WITHDRAWAL_CREATED' AND airtm_payout_id IS NULL))
              AND updated_at < @before ORDER BY id
            """;

        private const string OperationsSql = "SELECT id, intent AS status FROM escrow_operations WHERE status = 'RUNNING' AND updated_at < @before ORDER BY id";

        public async ValueTask<Report> Handle(Command command, CancellationToken cancellationToken)
        {
            var before = clock.NowMs() - (options.Jobs.StuckAfterSeconds * 1000L);
            var items = new List<Item>();
            foreach (var stuck in await db.QueryAsync<Stuck>(TopupsSql, new { before }, cancellationToken))
            {
                items.Add(await RunAsync("topup", stuck, command.Fix, async sender =>
                    (await sender.Send(new RefreshTopup.Command(stuck.Id), cancellationToken)).Status, cancellationToken));
            }

            foreach (var stuck in await db.QueryAsync<Stuck>(WithdrawalsSql, new { before }, cancellationToken))
            {
                items.Add(await RunAsync("withdrawal", stuck, command.Fix, async sender =>
                    (await sender.Send(new RefreshWithdrawal.Command(stuck.Id), cancellationToken)).Status, cancellationToken));
            }

            foreach (var stuck in await db.QueryAsync<Stuck>(OperationsSql, new { before }, cancellationToken))
            {
                items.Add(await RunAsync("escrow_operation", stuck with { Status = "RUNNING" }, command.Fix, async (_, services) =>
                    (await services.GetRequiredService<EscrowEngine>().ReconcileAsync(stuck.Id, cancellationToken)).Status, cancellationToken));
            }

            var ledger = await verifier.VerifyAsync(cancellationToken);
            var recent = (await anomalies.RecentAsync(cancellationToken))
                .Select(a => new Anomaly(a.Id, DateTimeOffset.FromUnixTimeMilliseconds(a.OccurredAt), a.Provider, a.ErrorCode, a.ErrorMessage))
                .ToList();
            return new Report(items, ledger.Balanced, ledger.Mismatches, ledger.Total, recent);
        }

        private Task<Item> RunAsync(string kind, Stuck stuck, bool fix, Func<ISender, Task<string>> advance, CancellationToken ct) =>
            RunAsync(kind, stuck, fix, (sender, _) => advance(sender), ct);

        private async Task<Item> RunAsync(string kind, Stuck stuck, bool fix, Func<ISender, IServiceProvider, Task<string>> advance, CancellationToken ct)
        {
            if (!fix)
            {
                return new Item(kind, stuck.Id, stuck.Status, stuck.Status, null);
            }

            ct.ThrowIfCancellationRequested();
            var outcome = await SubCommands.RunAsync(scopes, "reconciliation", advance);
            return new Item(kind, stuck.Id, stuck.Status, outcome.Status ?? stuck.Status, outcome.Error);
        }

        private sealed record Stuck(string Id, string Status);
    }
}
