using Mediator;
using OfferHub.Lite.Features.Topups.CancelTopup;
using OfferHub.Lite.Features.Withdrawals.CancelWithdrawal;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Jobs;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Operations.ExpireStale;

/// <summary>Expiry: top-ups still awaiting confirmation past their deadline are cancelled (at Airtm
/// first, through the cancel slice, so a payer who confirmed meanwhile still wins), and
/// withdrawals never committed are cancelled with their money returned.</summary>
public static class ExpireStale
{
    public sealed record Command : ICommand<Report>, IBeginsAtFirstWrite;

    public sealed record Item(string Kind, string Id, string? After, string? Error);

    public sealed record Report(IReadOnlyList<Item> Expired);

    public sealed class Handler(Db db, IServiceScopeFactory scopes, TimeProvider clock) : ICommandHandler<Command, Report>
    {
        private const string TopupsSql = "SELECT id FROM topups WHERE status = 'TOPUP_AWAITING_USER_CONFIRMATION' AND expires_at < @now ORDER BY id";
        private const string WithdrawalsSql = "SELECT id FROM withdrawals WHERE status = 'WITHDRAWAL_CREATED' AND expires_at < @now ORDER BY id";

        public async ValueTask<Report> Handle(Command command, CancellationToken cancellationToken)
        {
            var now = clock.NowMs();
            var items = new List<Item>();
            foreach (var id in await db.QueryAsync<string>(TopupsSql, new { now }, cancellationToken))
            {
                var outcome = await SubCommands.RunAsync(scopes, "expiry", async (sender, _) => (await sender.Send(new CancelTopup.Command(id), cancellationToken)).Status);
                items.Add(new Item("topup", id, outcome.Status, outcome.Error));
            }

            foreach (var id in await db.QueryAsync<string>(WithdrawalsSql, new { now }, cancellationToken))
            {
                var outcome = await SubCommands.RunAsync(scopes, "expiry", async (sender, _) => (await sender.Send(new CancelWithdrawal.Command(id), cancellationToken)).Status);
                items.Add(new Item("withdrawal", id, outcome.Status, outcome.Error));
            }

            return new Report(items);
        }
    }
}
