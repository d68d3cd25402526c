using Mediator;
using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Features.Topups.RefreshTopup;
using OfferHub.Lite.Features.Withdrawals.RefreshWithdrawal;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Jobs;
using OfferHub.Lite.Infrastructure.Ledger;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.Providers.Airtm;
using OfferHub.Lite.Infrastructure.Providers.TrustlessWork;
using OfferHub.Lite.Infrastructure.Providers;
using OfferHub.Lite.Infrastructure.Webhooks;

namespace OfferHub.Lite.Features.Operations.Reconcile;

/// <summary>Provider reconciliation: every top-up, withdrawal and escrow operation waiting longer
/// than the threshold is re-read from its provider and advanced through the normal transitions
/// (with Fix), each in its own unit of work so that one failure stops nothing else; the ledger is
/// proved; and every real place a provider reports (docs/money-model.md) is compared, to the
/// cent, with what the ledger says it holds. Without Fix it only reports.</summary>
public static class Reconcile
{
    public sealed record Command(bool Fix) : ICommand<Report>, IBeginsAtFirstWrite;

    public sealed record Item(string Kind, string Id, string Before, string After, string? Error);

    /// <summary>One real place: what the ledger says it holds, what its provider reports (null
    /// when the provider could not be read, with the error), and provider minus ledger.</summary>
    public sealed record Place(string Name, string Account, long Ledger, long? Provider, string? Error)
    {
        public long? Difference => Provider - Ledger;

        public bool Reconciled => Difference == 0;
    }

    public sealed record Report(IReadOnlyList<Item> Stuck, bool LedgerBalanced, IReadOnlyList<LedgerMismatch> LedgerMismatches, long LedgerTotal, IReadOnlyList<Place> Places,
        IReadOnlyList<Anomaly> WebhookAnomalies)
    {
        public bool PlacesReconciled => Places.All(p => p.Reconciled);
    }

    /// <summary>A signed callback acknowledged without effect (see WebhookAnomalies), for a person to look at.</summary>
    public sealed record Anomaly(string AuditId, DateTimeOffset OccurredAt, string? Provider, string? Code, string? Reason);

    public sealed class Handler(Db db, IServiceScopeFactory scopes, LedgerVerifier verifier, WebhookAnomalies anomalies, OfferHubOptions options, TimeProvider clock)
        : ICommandHandler<Command, Report>
    {
        // The enterprise Airtm account holds the users' balances and the marketplace's own share.
        private const string AirtmLedgerSql = "SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT) FROM ledger_accounts WHERE account LIKE 'user:%' OR account = @marketplace";
        private const string AccountSql = "SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT) FROM ledger_accounts WHERE account = @account";

        // Every escrow still open, or whose mirror still holds money.
        private const string EscrowsSql = """
            SELECT e.order_id AS order_id, e.contract_id AS contract_id, CAST(COALESCE(a.balance, 0) AS BIGINT) AS balance
            FROM escrows e LEFT JOIN ledger_accounts a ON a.account = 'escrow:' || e.order_id
            WHERE e.contract_id IS NOT NULL AND (e.status NOT IN ('RELEASED', 'REFUNDED', 'RESOLVED') OR COALESCE(a.balance, 0) <> 0)
            ORDER BY e.order_id
            """;
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
                    (await services.GetRequiredService<EscrowOperationRunner>().ReconcileAsync(stuck.Id, cancellationToken)).Status, cancellationToken));
            }

            var ledger = await verifier.VerifyAsync(cancellationToken);
            var recent = (await anomalies.RecentAsync(cancellationToken))
                .Select(a => new Anomaly(a.Id, DateTimeOffset.FromUnixTimeMilliseconds(a.OccurredAt), a.Provider, a.ErrorCode, a.ErrorMessage))
                .ToList();
            return new Report(items, ledger.Balanced, ledger.Mismatches, ledger.Total, await PlacesAsync(cancellationToken), recent);
        }

        private async Task<IReadOnlyList<Place>> PlacesAsync(CancellationToken ct)
        {
            var airtmLedger = await db.QuerySingleAsync<long>(AirtmLedgerSql, new { marketplace = Accounts.PlatformFunds }, ct) + options.Reconcile.AirtmOpeningCents;
            var treasuryLedger = await db.QuerySingleAsync<long>(AccountSql, new { account = Accounts.TreasuryWallet }, ct) + options.Trustless.TreasuryFloatCents;
            var escrows = await db.QueryAsync<EscrowPlace>(EscrowsSql, null, ct);

            using var scope = scopes.CreateScope();
            var airtm = scope.ServiceProvider.GetRequiredService<AirtmClient>();
            var trustless = scope.ServiceProvider.GetRequiredService<TrustlessClient>();
            var places = new List<Place>
            {
                await ReadAsync("enterprise Airtm account", "user:* + " + Accounts.PlatformFunds, airtmLedger, async () =>
                {
                    var balance = await airtm.GetBalanceAsync(ct);
                    return AirtmMoney.ToCents(balance.Available) + AirtmMoney.ToCents(balance.Pending);
                }),
            };

            // One balance read for the treasury and every escrow: Trustless Work's get-multiple-escrow-balance.
            var treasury = options.Trustless.TreasuryAddress!;
            IReadOnlyList<EscrowBalance>? balances = null;
            string? error = null;
            try
            {
                balances = await trustless.GetBalancesAsync([treasury, .. escrows.Select(e => e.ContractId)], ct);
            }
            catch (ProviderException failure)
            {
                error = failure.Code;
            }

            long? Reported(string address) =>
                balances?.FirstOrDefault(b => b.Address == address) is { } b ? ProviderMoney.ToCents(TrustlessClient.Provider, b.Balance) : null;

            places.Add(new Place("treasury wallet " + treasury, Accounts.TreasuryWallet, treasuryLedger, Reported(treasury), Reported(treasury) is null ? error ?? "not_reported" : null));
            places.AddRange(escrows.Select(e => new Place("escrow " + e.ContractId, Accounts.Escrow(e.OrderId), e.Balance, Reported(e.ContractId), Reported(e.ContractId) is null ? error ?? "not_reported" : null)));
            return places;
        }

        private static async Task<Place> ReadAsync(string name, string account, long ledger, Func<Task<long>> provider)
        {
            try
            {
                return new Place(name, account, ledger, await provider(), null);
            }
            catch (ProviderException failure)
            {
                return new Place(name, account, ledger, null, failure.Code);
            }
        }


        // A class, not a positional record: SQLite types the expression column of an empty result
        // as BLOB, which Dapper's constructor matching refuses.
        private sealed class EscrowPlace
        {
            public string OrderId { get; init; } = string.Empty;

            public string ContractId { get; init; } = string.Empty;

            public long Balance { get; init; }
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
