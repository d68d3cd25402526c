using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.Providers.Airtm;

namespace OfferHub.Lite.Features.Users.LinkAirtm;

/// <summary>Links a user to an Airtm account found by e-mail (Airtm looks users up by e-mail only).</summary>
public static class LinkAirtm
{
    public sealed record Body(string? AirtmEmail, string? AirtmUserId);

    public sealed record Command(string UserId, string? AirtmEmail, string? AirtmUserId) : ICommand<Result>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "USER_AIRTM_LINK";

        string IAuditedCommand.AuditResourceType => "user";

        string? IAuditedCommand.AuditResourceId => UserId;
    }

    public sealed record Result(string Id, string AirtmUserId, string AirtmEmail, string Status, DateTimeOffset LinkedAt);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.AirtmEmail).NotEmpty().MustBeEmail();
            RuleFor(c => c.AirtmUserId).MaximumLength(64);
        }
    }

    public sealed class Handler(Db db, AirtmClient airtm, Outbox outbox, TimeProvider clock) : ICommandHandler<Command, Result>
    {
        private const string LinkedElsewhereSql = "SELECT id FROM users WHERE airtm_user_id = @airtmUserId AND id <> @userId";

        private const string LinkSql = """
            UPDATE users SET airtm_user_id = @airtmUserId, airtm_email = @email, airtm_linked_at = @now, updated_at = @now
            WHERE id = @userId
            """;

        private const string LinkedAtSql = "SELECT airtm_linked_at FROM users WHERE id = @userId";

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            await UserStore.GetAsync(db, command.UserId, cancellationToken);
            var email = command.AirtmEmail!.Trim();
            // Asked before the transaction starts: no lock is held while Airtm answers.
            var found = await airtm.FindUserAsync(email, cancellationToken);
            if (found is null || !AirtmStatuses.Is(found.Status, "active") || (command.AirtmUserId is { } claimed && claimed != found.Id))
            {
                throw new ApiException(422, ApiErrors.AirtmUserInvalid, "Airtm has no active account with that e-mail",
                    new Dictionary<string, object?> { ["airtm_status"] = found?.Status ?? "unknown" });
            }

            var user = await UserStore.GetAsync(db, command.UserId, cancellationToken);
            if (await db.QuerySingleOrDefaultAsync<string>(LinkedElsewhereSql, new { airtmUserId = found.Id, userId = user.Id }, cancellationToken) is not null)
            {
                throw AlreadyLinked();
            }

            // Linking again to the same account is answered with the existing link.
            if (user.AirtmUserId != found.Id || user.AirtmEmail != email)
            {
                try
                {
                    await db.ExecuteAsync(LinkSql, new { airtmUserId = found.Id, email, now = clock.NowMs(), userId = user.Id }, cancellationToken);
                }
                catch (Exception unique) when (DbErrors.IsUniqueViolation(unique))
                {
                    throw AlreadyLinked();
                }

                await outbox.PublishAsync("user.airtm_linked", "user", user.Id, [user.Id], new { user_id = user.Id, airtm_user_id = found.Id }, cancellationToken);
            }

            var linkedAt = await db.QuerySingleAsync<long>(LinkedAtSql, new { userId = user.Id }, cancellationToken);
            return new Result(user.Id, found.Id, email, user.Status, Timestamps.FromMs(linkedAt));
        }

        private static ApiException AlreadyLinked() =>
            new(409, ApiErrors.AirtmUserAlreadyLinked, "That Airtm account is linked to another user");
    }
}
