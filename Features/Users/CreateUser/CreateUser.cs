using System.Text.Json;
using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Users.CreateUser;

public static class CreateUser
{
    public sealed record Command(string? ExternalUserId, string? Email, string? Type, JsonElement? Metadata)
        : ICommand<UserResponse>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => "USER_CREATE";

        string IAuditedCommand.AuditResourceType => "user";
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.ExternalUserId).NotEmpty().MustBePlainText(255);
            RuleFor(c => c.Email).MustBeEmail();
            RuleFor(c => c.Type).NotEmpty().MustBeOneOf(UserValues.Types);
            RuleFor(c => c.Metadata).MustBeMetadata();
        }
    }

    public sealed class Handler(Db db, Outbox outbox, TimeProvider clock) : ICommandHandler<Command, UserResponse>
    {
        // The unique index decides between concurrent creators; DO NOTHING keeps the transaction usable.
        private const string InsertSql = """
            INSERT INTO users (id, external_user_id, email, type, status, metadata, created_at, updated_at)
            VALUES (@id, @externalUserId, @email, @type, 'ACTIVE', @metadata, @now, @now)
            ON CONFLICT (external_user_id) DO NOTHING
            """;

        private const string ExistingSql = "SELECT id FROM users WHERE external_user_id = @externalUserId";

        public async ValueTask<UserResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var now = clock.NowMs();
            var row = new UserRow(
                Ids.New("usr"),
                command.ExternalUserId!,
                command.Email,
                command.Type!,
                "ACTIVE",
                AirtmUserId: null,
                AirtmEmail: null,
                StellarAddress: null,
                command.Metadata is { ValueKind: JsonValueKind.Object } metadata ? metadata.GetRawText() : null,
                now,
                now);

            if (await db.ExecuteAsync(InsertSql, new { id = row.Id, externalUserId = row.ExternalUserId, email = row.Email, type = row.Type, metadata = row.Metadata, now }, cancellationToken) == 0)
            {
                var existing = await db.QuerySingleAsync<string>(ExistingSql, new { externalUserId = row.ExternalUserId }, cancellationToken);
                throw new ApiException(409, ApiErrors.UserAlreadyExists, "A user with this external_user_id already exists",
                    new Dictionary<string, object?> { ["user_id"] = existing, ["external_user_id"] = row.ExternalUserId });
            }

            await outbox.PublishAsync("user.created", "user", row.Id, [row.Id],
                new { user_id = row.Id, external_user_id = row.ExternalUserId, type = row.Type, status = row.Status }, cancellationToken);
            return row.ToResponse();
        }
    }
}
