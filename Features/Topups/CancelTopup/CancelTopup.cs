using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.Topups.CancelTopup;

/// <summary>Cancels a top-up still awaiting confirmation by cancelling its pay-in at Airtm; the
/// top-up follows what Airtm then reports, so a payer who confirmed first wins.</summary>
public static class CancelTopup
{
    public sealed record Command(string Id) : ICommand<TopupResponse>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "TOPUP_CANCEL";

        string IAuditedCommand.AuditResourceType => "topup";

        string? IAuditedCommand.AuditResourceId => Id;
    }

    public sealed class Handler(Db db, TopupProgress progress) : ICommandHandler<Command, TopupResponse>
    {
        public async ValueTask<TopupResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var topup = await TopupStore.Rows.GetAsync(db, command.Id, cancellationToken);
            if (topup.Status == TopupStates.Canceled)
            {
                return topup.ToResponse();
            }

            TopupStates.Machine.Next(topup.Id, topup.Status, "cancel");
            // The key's claim is committed before Airtm is called, so that a retry resumes this cancel.
            await db.CheckpointAsync(cancellationToken);
            var payin = await progress.CancelOrReadAsync(topup.AirtmPayinId!, cancellationToken);
            return (await progress.ApplyCancelAsync(topup, payin, cancellationToken)).ToResponse();
        }
    }
}
