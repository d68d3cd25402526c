using System.Text.Json;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.Audit;

public sealed record AuditEntry(
    string Action,
    string? ResourceType,
    string? ResourceId,
    bool Success,
    string? ErrorCode = null,
    string? ErrorMessage = null,
    object? Before = null,
    object? After = null,
    string? ProviderRef = null);

/// <summary>Appends audit rows inside the caller's transaction, redacted.</summary>
public sealed class AuditLog(Db db, RequestContext request, TimeProvider clock)
{
    private const string InsertSql = """
        INSERT INTO audit_logs (id, occurred_at, action, actor_type, actor_id, resource_type, resource_id, result,
            error_code, error_message, before_state, after_state, request_id, idempotency_key, provider_ref, ip, user_agent)
        VALUES (@id, @occurredAt, @action, @actorType, @actorId, @resourceType, @resourceId, @result,
            @errorCode, @errorMessage, @before, @after, @requestId, @idempotencyKey, @providerRef, @ip, @userAgent)
        """;

    public async Task WriteAsync(AuditEntry entry, CancellationToken ct)
    {
        await db.ExecuteAsync(InsertSql, new
        {
            id = Ids.New("aud"),
            occurredAt = clock.NowMs(),
            action = entry.Action,
            actorType = request.Actor.Type,
            actorId = request.Actor.Id,
            resourceType = entry.ResourceType,
            resourceId = entry.ResourceId,
            result = entry.Success ? "SUCCESS" : "FAILURE",
            errorCode = entry.ErrorCode,
            errorMessage = entry.ErrorMessage is { Length: > 500 } text ? text[..500] : entry.ErrorMessage,
            before = Snapshot(entry.Before),
            after = Snapshot(entry.After),
            requestId = request.RequestId,
            idempotencyKey = request.IdempotencyKey,
            providerRef = entry.ProviderRef,
            ip = request.Ip,
            userAgent = request.UserAgent,
        }, ct);
    }

    private static string? Snapshot(object? value) =>
        value is null ? null : Redactor.Redact(JsonSerializer.SerializeToNode(value, value.GetType(), ApiJson.Options))?.ToJsonString(ApiJson.Options);
}
