using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.ApiKeys.MintToken;

public static class MintToken
{
    public const int DefaultTtlSeconds = 900;
    public const int MaxTtlSeconds = 86_400;

    public sealed record Command(IReadOnlyList<string>? Scopes, int? TtlSeconds) : ICommand<Result>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => "TOKEN_MINT";

        string IAuditedCommand.AuditResourceType => "api_key";
    }

    public sealed record Result(string Id, string Token, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt) : IHasId;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Scopes).NotEmpty().MustBeScopeList();
            RuleFor(c => c.TtlSeconds).InclusiveBetween(60, MaxTtlSeconds);
        }
    }

    public sealed class Handler(Db db, TimeProvider clock) : ICommandHandler<Command, Result>
    {
        private const string InsertSql = """
            INSERT INTO api_keys (id, kind, name, key_hash, key_prefix, scopes, created_at, expires_at)
            VALUES (@id, 'token', NULL, @hash, @prefix, @scopes, @now, @expiresAt)
            """;

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            await db.BeginAsync(cancellationToken);
            var token = ApiKeySecrets.NewToken();
            var scopes = ScopeList.Normalize(command.Scopes!);
            var now = clock.NowMs();
            var expiresAt = now + ((command.TtlSeconds ?? DefaultTtlSeconds) * 1000L);
            var id = Ids.New("key");
            await db.ExecuteAsync(InsertSql, new
            {
                id,
                hash = ApiKeySecrets.Hash(token),
                prefix = ApiKeySecrets.DisplayPrefix(token),
                scopes = string.Join(',', scopes),
                now,
                expiresAt,
            }, cancellationToken);
            return new Result(id, token, scopes, Timestamps.FromMs(expiresAt));
        }
    }
}
