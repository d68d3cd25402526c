using Mediator;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.Withdrawals.RefreshWithdrawal;

/// <summary>Reads the payout at Airtm (by id, or by our code when the create response was lost) and applies it.</summary>
public static class RefreshWithdrawal
{
    public sealed record Command(string Id) : ICommand<WithdrawalResponse>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "WITHDRAWAL_REFRESH";

        string IAuditedCommand.AuditResourceType => "withdrawal";

        string? IAuditedCommand.AuditResourceId => Id;
    }

    public sealed class Handler(WithdrawalProgress progress) : ICommandHandler<Command, WithdrawalResponse>
    {
        public async ValueTask<WithdrawalResponse> Handle(Command command, CancellationToken cancellationToken) =>
            (await progress.RefreshAsync(command.Id, cancellationToken)).ToResponse();
    }
}
