using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Providers;
using OfferHub.Lite.Infrastructure.Providers.Airtm;

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

    public sealed class Handler(Db db, AirtmClient airtm, TopupProgress progress) : ICommandHandler<Command, TopupResponse>
    {
        public async ValueTask<TopupResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var topup = await TopupStore.GetAsync(db, command.Id, cancellationToken);
            if (topup.Status == TopupStates.Canceled)
            {
                return topup.ToResponse();
            }

            TopupStates.Machine.Next(topup.Id, topup.Status, "cancel");
            // The key's claim is committed before Airtm is called, so that a retry resumes this cancel.
            await db.CheckpointAsync(cancellationToken);
            Payin payin;
            try
            {
                payin = await airtm.CancelPayinAsync(topup.AirtmPayinId!, cancellationToken);
            }
            catch (ProviderException refused) when (!refused.Transient)
            {
                // Airtm would not cancel (the payer confirmed meanwhile): apply what it holds instead.
                payin = await airtm.GetPayinAsync(topup.AirtmPayinId!, cancellationToken) ?? throw ProviderException.InvalidResponse(AirtmClient.Provider, "the pay-in disappeared");
            }

            topup = await progress.ApplyAsync(await TopupStore.LockAsync(db, topup.Id, cancellationToken), payin, cancellationToken);
            if (topup.Status != TopupStates.Canceled)
            {
                // What Airtm reported stays applied although the cancel is refused.
                await db.CheckpointAsync(cancellationToken);
                throw TopupStates.Machine.Invalid(topup.Id, topup.Status, "cancel");
            }

            return topup.ToResponse();
        }
    }
}
