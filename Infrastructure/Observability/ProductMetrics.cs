using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using OfferHub.Lite.Infrastructure.Money;

namespace OfferHub.Lite.Infrastructure.Observability;

/// <summary>The product's own instruments, one meter for the process. Labels are small closed
/// sets (kind, outcome, provider, operation, job, scope): never a user id, e-mail, amount or key.
/// Instruments cost almost nothing while no meter provider listens.</summary>
public static class ProductMetrics
{
    private static readonly Meter Meter = new(Telemetry.Name);

    private static readonly Counter<long> MoneyFlows = Meter.CreateCounter<long>(
        "offerhub.money_flows", description: "Money movements by kind (topup, withdrawal, reserve, escrow_fund, escrow_release, escrow_refund, dispute) and outcome, counted when committed");

    private static readonly Counter<long> MoneyFlowCents = Meter.CreateCounter<long>(
        "offerhub.money_flow.cents", description: "Sum of the amounts of those movements, in cents");

    private static readonly Histogram<double> ProviderCalls = Meter.CreateHistogram(
        "offerhub.provider.call.duration", unit: "s", description: "Provider API calls by provider, operation and outcome",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    private static readonly Counter<long> RateLimitRejections = Meter.CreateCounter<long>(
        "offerhub.rate_limit.rejections", description: "Requests refused with 429 RATE_LIMITED, by limit (api_key, topups, withdrawals)");

    private static readonly Counter<long> IdempotencyOutcomes = Meter.CreateCounter<long>(
        "offerhub.idempotency.requests", description: "Requests with an Idempotency-Key by result: executed, replayed, reused (409), in_progress (409)");

    private static readonly UpDownCounter<long> EventStreams = Meter.CreateUpDownCounter<long>(
        "offerhub.sse.subscribers", description: "Open live event streams (GET /api/v1/events as text/event-stream) on this instance");

    private static readonly Histogram<long> SqliteGroupCommits = Meter.CreateHistogram<long>(
        "offerhub.db.sqlite.group_commit.transactions", description: "Write transactions that shared one durable SQLite commit",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });

    private static readonly Counter<long> JobRuns = Meter.CreateCounter<long>(
        "offerhub.job.runs", description: "Background job runs by job and status (succeeded, failed)");

    private static readonly Counter<long> JobDeadLetters = Meter.CreateCounter<long>(
        "offerhub.job.dead_lettered", description: "Job runs that failed their last try and went to the dead-letter table, by job");

    /// <summary>(kind, outcome) of each event type that moves money or could; amounts come from the event's own "amount".</summary>
    private static readonly Dictionary<string, (string Kind, string Outcome)> MoneyEvents = new(StringComparer.Ordinal)
    {
        ["topup.created"] = ("topup", "created"),
        ["topup.succeeded"] = ("topup", "succeeded"),
        ["topup.failed"] = ("topup", "failed"),
        ["topup.canceled"] = ("topup", "canceled"),
        ["withdrawal.created"] = ("withdrawal", "created"),
        ["withdrawal.committed"] = ("withdrawal", "committed"),
        ["withdrawal.completed"] = ("withdrawal", "completed"),
        ["withdrawal.failed"] = ("withdrawal", "failed"),
        ["withdrawal.canceled"] = ("withdrawal", "canceled"),
        ["balance.reserved"] = ("reserve", "reserved"),
        ["balance.released"] = ("reserve", "released"),
        ["escrow.funding_started"] = ("escrow_fund", "started"),
        ["escrow.funded"] = ("escrow_fund", "succeeded"),
        ["escrow.released"] = ("escrow_release", "succeeded"),
        ["escrow.refunded"] = ("escrow_refund", "succeeded"),
        ["dispute.opened"] = ("dispute", "opened"),
        ["dispute.resolved"] = ("dispute", "resolved"),
    };

    public static bool IsMoneyEvent(string type) => MoneyEvents.ContainsKey(type);

    /// <summary>Counts one committed money event; the amount is read from its data ("amount", or a
    /// dispute's "amounts" summed).</summary>
    public static void MoneyEvent(string type, string dataJson)
    {
        if (!MoneyEvents.TryGetValue(type, out var flow) || !MoneyFlows.Enabled)
        {
            return;
        }

        var tags = new TagList { { "kind", flow.Kind }, { "outcome", flow.Outcome } };
        MoneyFlows.Add(1, tags);
        if (AmountOf(dataJson) is { } cents)
        {
            MoneyFlowCents.Add(cents, tags);
        }
    }

    private static long? AmountOf(string dataJson)
    {
        using var data = JsonDocument.Parse(dataJson);
        var root = data.RootElement;
        if (root.TryGetProperty("amount", out var amount) && amount.ValueKind == JsonValueKind.String && Amount.TryParse(amount.GetString(), out var cents))
        {
            return cents;
        }

        if (root.TryGetProperty("amounts", out var amounts) && amounts.ValueKind == JsonValueKind.Object)
        {
            long total = 0;
            foreach (var part in amounts.EnumerateObject())
            {
                if (part.Value.ValueKind == JsonValueKind.String && Amount.TryParse(part.Value.GetString(), out var partCents))
                {
                    total += partCents;
                }
            }

            return total;
        }

        return null;
    }

    public static void ProviderCall(string provider, string operation, string outcome, TimeSpan elapsed) =>
        ProviderCalls.Record(elapsed.TotalSeconds, new TagList { { "provider", provider }, { "operation", operation }, { "outcome", outcome } });

    public static void RateLimited(string limit) => RateLimitRejections.Add(1, new KeyValuePair<string, object?>("limit", limit));

    public static void Idempotency(string result) => IdempotencyOutcomes.Add(1, new KeyValuePair<string, object?>("result", result));

    public static void StreamOpened() => EventStreams.Add(1);

    public static void StreamClosed() => EventStreams.Add(-1);

    public static void SqliteGroupCommitted(int transactions) => SqliteGroupCommits.Record(transactions);

    public static void JobRun(string job, string status) => JobRuns.Add(1, new TagList { { "job", job }, { "status", status } });

    public static void JobDeadLettered(string job) => JobDeadLetters.Add(1, new KeyValuePair<string, object?>("job", job));

    /// <summary>Gauges that read the database: kept in one snapshot that the host's state gauges refresh before each scrape.</summary>
    internal static void RegisterGauges(Func<StateSnapshot> snapshot)
    {
        Meter.CreateObservableGauge("offerhub.webhook.deliveries.pending", () => snapshot().PendingDeliveries, description: "Outbound webhook deliveries waiting to be sent or retried");
        Meter.CreateObservableGauge("offerhub.webhook.deliveries.failed", () => snapshot().FailedDeliveries, description: "Outbound webhook deliveries that exhausted their retries (or hit a gone endpoint) and wait for a manual retry");
        Meter.CreateObservableGauge("offerhub.webhook.delivery.lag", () => snapshot().DeliveryLagSeconds, unit: "s", description: "Age of the oldest pending outbound webhook delivery (0 when none)");
        Meter.CreateObservableGauge("offerhub.outbox.lag", () => snapshot().OutboxLagSeconds, unit: "s", description: "Time from the newest published (sequenced) event to the newest committed one (0 when all are published)");
        Meter.CreateObservableGauge("offerhub.outbox.pending", () => snapshot().OutboxPending, description: "Committed events not yet published to streams and webhooks");
        Meter.CreateObservableGauge("offerhub.job.dead_letters", () => snapshot().DeadLetters, description: "Job dead letters not retried yet");
        Meter.CreateObservableGauge("offerhub.ledger.balanced", () => snapshot().LedgerBalanced, description: "Last ledger proof: 1 balanced, 0 mismatch, -1 never run");
        Meter.CreateObservableGauge("offerhub.ledger.checked_at", () => snapshot().LedgerCheckedAtSeconds, unit: "s", description: "Unix time of the last ledger proof (0 when never run)");
    }
}

public sealed record StateSnapshot(long PendingDeliveries, long FailedDeliveries, double DeliveryLagSeconds, double OutboxLagSeconds, long OutboxPending, long DeadLetters, long LedgerBalanced, double LedgerCheckedAtSeconds)
{
    public static readonly StateSnapshot Empty = new(0, 0, 0, 0, 0, 0, -1, 0);
}
