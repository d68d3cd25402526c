using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Providers.Airtm;

namespace OfferHub.Lite.Features.Topups.RefreshTopup;

/// <summary>Reads the pay-in at Airtm and applies it: recovers a lost webhook, or a pay-in whose
/// create response was lost (found by our code).</summary>
public static class RefreshTopup
{
    public sealed record Command(string Id) : ICommand<TopupResponse>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "TOPUP_REFRESH";

        string IAuditedCommand.AuditResourceType => "topup";

        string? IAuditedCommand.AuditResourceId => Id;
    }

    public sealed class Handler(Db db, AirtmClient airtm, TopupProgress progress) : ICommandHandler<Command, TopupResponse>
    {
        public async ValueTask<TopupResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var topup = await TopupStore.GetAsync(db, command.Id, cancellationToken);
            if (TopupStates.IsTerminal(topup.Status))
            {
                return topup.ToResponse();
            }

            var payin = topup.AirtmPayinId is { } payinId
                ? await airtm.GetPayinAsync(payinId, cancellationToken)
                : await airtm.FindPayinByCodeAsync(topup.Id, cancellationToken);
            if (payin is null)
            {
                return topup.ToResponse();
            }

            topup = await TopupStore.LockAsync(db, topup.Id, cancellationToken);
            return (await progress.ApplyAsync(topup, payin, cancellationToken)).ToResponse();
        }
    }
}
