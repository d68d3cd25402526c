using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.ApiKeys.RevokeApiKey;

public static class RevokeApiKey
{
    public sealed record Command(string KeyId) : ICommand<Result>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => "API_KEY_REVOKE";

        string IAuditedCommand.AuditResourceType => "api_key";

        string? IAuditedCommand.AuditResourceId => KeyId;
    }

    public sealed record Result(string Id, string Status, DateTimeOffset RevokedAt) : IHasId;

    public sealed class Handler(Db db, TimeProvider clock) : ICommandHandler<Command, Result>
    {
        // Revoking twice keeps the first revocation time: the call is naturally idempotent.
        private const string RevokeSql = "UPDATE api_keys SET revoked_at = @now WHERE id = @KeyId AND revoked_at IS NULL";
        private const string ReadSql = "SELECT revoked_at FROM api_keys WHERE id = @KeyId";

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            await db.ExecuteAsync(RevokeSql, new { command.KeyId, now = clock.NowMs() }, cancellationToken);
            var revokedAt = await db.QuerySingleOrDefaultAsync<long?>(ReadSql, command, cancellationToken)
                ?? throw ApiErrors.NotFound(ApiErrors.ApiKeyNotFound, "API key", command.KeyId);
            return new Result(command.KeyId, "revoked", Timestamps.FromMs(revokedAt));
        }
    }
}
