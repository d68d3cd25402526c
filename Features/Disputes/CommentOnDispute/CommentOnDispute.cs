using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Disputes.CommentOnDispute;

public static class CommentOnDispute
{
    public sealed record Body(string? Message);

    public sealed record Command(string DisputeId, string? Message) : ICommand<Result>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => "DISPUTE_COMMENT";

        string IAuditedCommand.AuditResourceType => "dispute";

        string? IAuditedCommand.AuditResourceId => DisputeId;
    }

    public sealed record Result(string DisputeId, string CommentId);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Message).NotEmpty().MaximumLength(4000);
    }

    public sealed class Handler(Db db, RequestContext request, TimeProvider clock) : ICommandHandler<Command, Result>
    {
        private const string InsertSql = "INSERT INTO dispute_comments (id, dispute_id, author, message, created_at) VALUES (@id, @disputeId, @author, @message, @now)";

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var dispute = await DisputeStore.LockAsync(db, command.DisputeId, cancellationToken);
            var id = Ids.New("cmt");
            await db.ExecuteAsync(InsertSql, new { id, disputeId = dispute.Id, author = request.Actor.Id ?? request.Actor.Type, message = command.Message, now = clock.NowMs() }, cancellationToken);
            return new Result(dispute.Id, id);
        }
    }
}
