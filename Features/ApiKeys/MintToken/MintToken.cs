using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.ApiKeys.MintToken;

public static class MintToken
{
    public const int DefaultTtlSeconds = 900;
    public const int MaxTtlSeconds = 86_400;

    /// <summary>A token bound to a user lives in a browser, where it can leak: one hour at most.</summary>
    public const int MaxUserTtlSeconds = 3_600;

    public sealed record Command(IReadOnlyList<string>? Scopes, int? TtlSeconds, string? UserId) : ICommand<Result>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => "TOKEN_MINT";

        string IAuditedCommand.AuditResourceType => "api_key";
    }

    public sealed record Result(string Id, string Token, IReadOnlyList<string> Scopes, string? UserId, DateTimeOffset ExpiresAt) : IHasId;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Scopes).NotEmpty().MustBeScopeList();
            RuleFor(c => c.TtlSeconds).InclusiveBetween(60, MaxTtlSeconds);
            RuleFor(c => c.UserId).MustBeCursor("usr").WithMessage("must be a user id (usr_...)");
            When(c => c.UserId is not null, () =>
            {
                // A user's browser reads and signs; reviewing disputes and the audit log is the operator's.
                RuleFor(c => c.Scopes).Must(scopes => scopes is null || !scopes.Contains(Infrastructure.Auth.Scopes.Support))
                    .WithMessage("a token bound to a user may carry only read and write");
                RuleFor(c => c.TtlSeconds).LessThanOrEqualTo(MaxUserTtlSeconds).WithMessage($"must be at most {MaxUserTtlSeconds} for a token bound to a user");
            });
        }
    }

    public sealed class Handler(Db db, TimeProvider clock) : ICommandHandler<Command, Result>
    {
        private const string InsertSql = """
            INSERT INTO api_keys (id, kind, name, key_hash, key_prefix, scopes, user_id, created_at, expires_at)
            VALUES (@id, 'token', NULL, @hash, @prefix, @scopes, @userId, @now, @expiresAt)
            """;

        private const string UserExistsSql = "SELECT COUNT(*) FROM users WHERE id = @id";

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            if (command.UserId is { } userId && await db.ExecuteScalarAsync<long>(UserExistsSql, new { id = userId }, cancellationToken) == 0)
            {
                throw ApiErrors.NotFound(ApiErrors.UserNotFound, "User", userId);
            }

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
                userId = command.UserId,
                now,
                expiresAt,
            }, cancellationToken);
            return new Result(id, token, scopes, command.UserId, Timestamps.FromMs(expiresAt));
        }
    }
}
