using Mediator;
using OfferHub.Lite.Infrastructure.Pipeline;

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

    public sealed class Handler(TopupProgress progress) : ICommandHandler<Command, TopupResponse>
    {
        public async ValueTask<TopupResponse> Handle(Command command, CancellationToken cancellationToken) =>
            (await progress.RefreshAsync(command.Id, cancellationToken)).ToResponse();
    }
}
