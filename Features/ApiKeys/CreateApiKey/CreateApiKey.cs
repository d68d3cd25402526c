using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.ApiKeys.CreateApiKey;

public static class CreateApiKey
{
    public sealed record Command(string? Name, IReadOnlyList<string>? Scopes) : ICommand<Result>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => "API_KEY_CREATE";

        string IAuditedCommand.AuditResourceType => "api_key";
    }

    /// <summary>The only response that ever carries the key itself.</summary>
    public sealed record Result(string Id, string ApiKey, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt) : IHasId;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Name).NotEmpty().MustBePlainText(100);
            RuleFor(c => c.Scopes).NotEmpty().MustBeScopeList();
        }
    }

    public sealed class Handler(Db db, OfferHubOptions options, TimeProvider clock) : ICommandHandler<Command, Result>
    {
        private const string InsertSql = """
            INSERT INTO api_keys (id, kind, name, key_hash, key_prefix, scopes, created_at)
            VALUES (@id, 'api_key', @name, @hash, @prefix, @scopes, @now)
            """;

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var secret = ApiKeySecrets.NewKey(options.IsProduction);
            var scopes = ScopeList.Normalize(command.Scopes!);
            var now = clock.NowMs();
            var id = Ids.New("key");
            await db.ExecuteAsync(InsertSql, new
            {
                id,
                name = command.Name,
                hash = ApiKeySecrets.Hash(secret),
                prefix = ApiKeySecrets.DisplayPrefix(secret),
                scopes = string.Join(',', scopes),
                now,
            }, cancellationToken);
            return new Result(id, secret, command.Name!, scopes, Timestamps.FromMs(now));
        }
    }
}
