using System.Text.Json;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.WebhookEndpoints;

public sealed record WebhookEndpointRow(string Id, string Url, string Types, string? Description, string Secret, string Status, string? DisabledReason, long CreatedAt, long UpdatedAt)
{
    public const string Columns = "id, url, types, description, secret, status, disabled_reason, created_at, updated_at";

    public IReadOnlyList<string> TypeList => JsonSerializer.Deserialize<List<string>>(Types) ?? [];

    public WebhookEndpointResponse ToResponse(string? secret = null) =>
        new(Id, Url, TypeList, Description, Status, DisabledReason, secret, Timestamps.FromMs(CreatedAt), Timestamps.FromMs(UpdatedAt));
}

/// <summary>An endpoint as the API shows it; <c>secret</c> only in the creation response.</summary>
public sealed record WebhookEndpointResponse(
    string Id, string Url, IReadOnlyList<string> Types, string? Description, string Status, string? DisabledReason, string? Secret,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IHasId;

public sealed record DeliveryRow(
    string Id, string EndpointId, string EventId, string Status, long Attempts, long? NextAttemptAt, long? LastStatus, long? DeliveredAt, long CreatedAt, long UpdatedAt)
{
    public const string Columns = "id, endpoint_id, event_id, status, attempts, next_attempt_at, last_status, delivered_at, created_at, updated_at";
}

public sealed record AttemptRow(string DeliveryId, long Attempt, long? StatusCode, long DurationMs, string? ResponseSnippet, string? Error, long AttemptedAt);

public sealed record AttemptResponse(long Attempt, long? StatusCode, long DurationMs, string? ResponseSnippet, string? Error, DateTimeOffset AttemptedAt);

public sealed record DeliveryResponse(
    string Id, string EndpointId, string EventId, string Status, long Attempts, DateTimeOffset? NextAttemptAt, long? LastStatus, DateTimeOffset? DeliveredAt,
    IReadOnlyList<AttemptResponse> AttemptLog, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IHasId;

public static class WebhookStore
{
    private const string AttemptsSql = "SELECT delivery_id, attempt, status_code, duration_ms, response_snippet, error, attempted_at FROM webhook_attempts WHERE delivery_id IN @ids ORDER BY attempt";

    public static async Task<WebhookEndpointRow> GetEndpointAsync(Db db, string id, CancellationToken ct) =>
        await db.QuerySingleOrDefaultAsync<WebhookEndpointRow>($"SELECT {WebhookEndpointRow.Columns} FROM webhook_endpoints WHERE id = @id AND deleted_at IS NULL", new { id }, ct)
        ?? throw ApiErrors.NotFound(ApiErrors.NotFoundCode, "Webhook endpoint", id);

    public static async Task<DeliveryRow> GetDeliveryAsync(Db db, string id, CancellationToken ct) =>
        await ResourceRows.FindAsync<DeliveryRow>(db, "webhook_deliveries", DeliveryRow.Columns, "id", id, ct)
        ?? throw ApiErrors.NotFound(ApiErrors.NotFoundCode, "Webhook delivery", id);

    public static async Task<IReadOnlyList<DeliveryResponse>> ResponsesAsync(Db db, IReadOnlyList<DeliveryRow> deliveries, CancellationToken ct)
    {
        var attempts = deliveries.Count == 0 ? [] : await db.QueryAsync<AttemptRow>(AttemptsSql, new { ids = deliveries.Select(d => d.Id).ToList() }, ct);
        return
        [
            .. deliveries.Select(d => new DeliveryResponse(d.Id, d.EndpointId, d.EventId, d.Status, d.Attempts, Timestamps.FromMs(d.NextAttemptAt), d.LastStatus,
                Timestamps.FromMs(d.DeliveredAt),
                [.. attempts.Where(a => a.DeliveryId == d.Id).Select(a => new AttemptResponse(a.Attempt, a.StatusCode, a.DurationMs, a.ResponseSnippet, a.Error, Timestamps.FromMs(a.AttemptedAt)))],
                Timestamps.FromMs(d.CreatedAt), Timestamps.FromMs(d.UpdatedAt))),
        ];
    }
}
