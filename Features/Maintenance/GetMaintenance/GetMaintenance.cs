using Mediator;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Features.Maintenance.GetMaintenance;

public static class GetMaintenance
{
    public sealed record Query : IQuery<MaintenanceState>;

    public sealed class Handler(Db db) : IQueryHandler<Query, MaintenanceState>
    {
        public async ValueTask<MaintenanceState> Handle(Query query, CancellationToken cancellationToken) =>
            await MaintenanceState.ReadAsync(db, cancellationToken);
    }
}
