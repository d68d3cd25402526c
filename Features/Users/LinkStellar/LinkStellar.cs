using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.Stellar;

namespace OfferHub.Lite.Features.Users.LinkStellar;

/// <summary>The Stellar address that plays the user's escrow roles (approver for a buyer, service
/// provider and receiver for a seller). Checked as a StrKey with its checksum.</summary>
public static class LinkStellar
{
    public sealed record Body(string? StellarAddress);

    public sealed record Command(string UserId, string? StellarAddress) : ICommand<UserResponse>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => "USER_STELLAR_LINK";

        string IAuditedCommand.AuditResourceType => "user";

        string? IAuditedCommand.AuditResourceId => UserId;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.StellarAddress).NotEmpty().Must(StellarAddress.IsValid)
            .WithMessage("must be a Stellar public key: G followed by 55 base32 characters with a valid checksum");
    }

    public sealed class Handler(Db db, Outbox outbox, TimeProvider clock) : ICommandHandler<Command, UserResponse>
    {
        private const string LinkSql = "UPDATE users SET stellar_address = @address, updated_at = @now WHERE id = @id";

        public async ValueTask<UserResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var user = await UserStore.GetAsync(db, command.UserId, cancellationToken);
            if (user.StellarAddress != command.StellarAddress)
            {
                await db.ExecuteAsync(LinkSql, new { id = user.Id, address = command.StellarAddress, now = clock.NowMs() }, cancellationToken);
                await outbox.PublishAsync("user.stellar_linked", "user", user.Id, [user.Id], new { user_id = user.Id, stellar_address = command.StellarAddress }, cancellationToken);
            }

            return (await UserStore.GetAsync(db, user.Id, cancellationToken)).ToResponse();
        }
    }
}
