using System.Diagnostics;
using System.Globalization;
using Mediator;
using OfferHub.Lite.Features.Events;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.Webhooks;

namespace OfferHub.Lite.Features.WebhookEndpoints.DeliverWebhooks;

/// <summary>Sends the deliveries that are due (the outbox dispatcher queued them when it sequenced
/// their events): Standard Webhooks headers and signature, any 2xx within the timeout is success,
/// 410 disables the endpoint, anything else is retried on the schedule with jitter and finally
/// marked failed. Every attempt is recorded. A delivery is claimed before it is sent, so two
/// instances never send it at the same time; no transaction is open while it is sent.</summary>
public static class DeliverWebhooks
{
    public const string HttpClientName = "webhook-delivery";
    private const int Batch = 20;

    public sealed record Command : ICommand<int>, IBeginsAtFirstWrite;

    public sealed class Handler(Db db, IHttpClientFactory clients, OfferHubOptions options, TimeProvider clock) : ICommandHandler<Command, int>
    {
        private const string DueSql = """
            SELECT d.id, d.endpoint_id, d.event_id, d.attempts, e.url, e.secret, e.status AS endpoint_status
            FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
            WHERE d.status = 'PENDING' AND d.next_attempt_at <= @now AND (d.lease_until IS NULL OR d.lease_until < @now)
            ORDER BY d.next_attempt_at LIMIT @batch
            """;

        private const string ClaimSql = """
            UPDATE webhook_deliveries SET lease_until = @until
            WHERE id = @id AND status = 'PENDING' AND (lease_until IS NULL OR lease_until < @now)
            """;

        private const string ReleaseSql = "UPDATE webhook_deliveries SET lease_until = NULL WHERE id = @id AND status = 'PENDING'";

        private const string EventSql = $"SELECT {EventRow.Columns} FROM events WHERE id = @id";
        private const string AttemptSql = """
            INSERT INTO webhook_attempts (id, delivery_id, attempt, status_code, duration_ms, response_snippet, error, attempted_at)
            VALUES (@id, @deliveryId, @attempt, @statusCode, @durationMs, @snippet, @error, @now)
            """;

        private const string OutcomeSql = """
            UPDATE webhook_deliveries SET status = @status, attempts = @attempts, next_attempt_at = @next, last_status = @statusCode,
                delivered_at = @deliveredAt, lease_until = NULL, updated_at = @now
            WHERE id = @id
            """;

        private const string DisableSql = "UPDATE webhook_endpoints SET status = 'DISABLED', disabled_reason = @reason, updated_at = @now WHERE id = @id";

        public async ValueTask<int> Handle(Command command, CancellationToken cancellationToken)
        {
            var now = clock.NowMs();
            var due = await db.QueryAsync<Due>(DueSql, new { now, batch = Batch }, cancellationToken);
            var sent = 0;
            foreach (var delivery in due)
            {
                // The claim is taken whole or not at all: a shutdown arriving during its commit must
                // not leave a committed lease that nobody releases (the next instance would wait
                // for it to lapse), so it is not cancellable; the shutdown is honoured before it.
                cancellationToken.ThrowIfCancellationRequested();
                var claimed = await db.ExecuteAsync(ClaimSql, new { id = delivery.Id, now, until = now + 60_000 }, CancellationToken.None) == 1;
                await db.CheckpointAsync(CancellationToken.None);
                if (!claimed)
                {
                    continue;
                }

                try
                {
                    await DeliverAsync(delivery, cancellationToken);
                    sent++;
                }
                catch (Exception) when (cancellationToken.IsCancellationRequested)
                {
                    // Shutting down mid-send (cancelled, or the database connection closed under us):
                    // give the claim back so that the next run (here or on another instance) sends it
                    // at once; only a hard crash waits for the claim to lapse.
                    await db.RollbackAsync();
                    await db.ExecuteAsync(ReleaseSql, new { id = delivery.Id }, CancellationToken.None);
                    await db.CheckpointAsync(CancellationToken.None);
                    throw;
                }
            }

            return sent;
        }

        private async Task DeliverAsync(Due delivery, CancellationToken ct)
        {
            var attempt = delivery.Attempts + 1;
            var (statusCode, snippet, error, elapsed) = delivery.EndpointStatus == "ACTIVE"
                ? await SendAsync(delivery, ct)
                : ((int?)null, (string?)null, "endpoint " + delivery.EndpointStatus.ToLowerInvariant(), 0L);
            var now = clock.NowMs();
            var success = statusCode is >= 200 and < 300;
            var gone = statusCode == 410 || delivery.EndpointStatus != "ACTIVE";
            var schedule = options.Webhooks.RetryScheduleSeconds;
            var exhausted = attempt > schedule.Length;
            var status = success ? "DELIVERED" : gone || exhausted ? "FAILED" : "PENDING";
            long? next = status == "PENDING" ? now + Jittered(schedule[attempt - 1]) : null;

            await db.ExecuteAsync(AttemptSql, new
            {
                id = Ids.New("wha"),
                deliveryId = delivery.Id,
                attempt,
                statusCode,
                durationMs = elapsed,
                snippet,
                error,
                now,
            }, ct);
            await db.ExecuteAsync(OutcomeSql, new { id = delivery.Id, status, attempts = attempt, next, statusCode, deliveredAt = success ? now : (long?)null, now }, ct);
            if (statusCode == 410)
            {
                await db.ExecuteAsync(DisableSql, new { id = delivery.EndpointId, reason = "the endpoint answered 410 Gone", now }, ct);
            }

            await db.CheckpointAsync(ct);
        }

        private async Task<(int? Status, string? Snippet, string? Error, long ElapsedMs)> SendAsync(Due delivery, CancellationToken ct)
        {
            var row = await db.QuerySingleAsync<EventRow>(EventSql, new { id = delivery.EventId }, ct);
            var timestamp = clock.GetUtcNow();
            var body = ApiJson.SerializeToUtf8Bytes(new { type = row.Type, timestamp, data = row.ToResponse() });
            var seconds = timestamp.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("webhook-id", row.Id);
            request.Headers.Add("webhook-timestamp", seconds.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSignature.Sign(delivery.Secret, row.Id, seconds, body));
            var started = Stopwatch.GetTimestamp();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(options.Webhooks.TimeoutSeconds));
            try
            {
                using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                var text = await response.Content.ReadAsStringAsync(deadline.Token);
                return ((int)response.StatusCode, text.Length > 200 ? text[..200] : text, null, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return (null, null, "timeout", (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (HttpRequestException failure)
            {
                return (null, null, failure.HttpRequestError.ToString(), (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        /// <summary>The scheduled wait with ±10 % jitter, so that retries of many deliveries spread out.</summary>
        private static long Jittered(int seconds) =>
            (long)(seconds * 1000 * (0.9 + (Random.Shared.NextDouble() * 0.2)));

        private sealed record Due(string Id, string EndpointId, string EventId, long Attempts, string Url, string Secret, string EndpointStatus);
    }
}
