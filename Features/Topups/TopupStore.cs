using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Features.Topups;

public static class TopupStore
{
    public static readonly UserTokenAccess UserTokenAccess =
        new UserTokenAccess.OwnedResource("SELECT user_id FROM topups WHERE id = @id", ApiErrors.TopupNotFound, "Top-up");

    public static async Task<TopupRow> GetAsync(Db db, string id, CancellationToken ct) =>
        await ResourceRows.FindAsync<TopupRow>(db, TopupStates.Table, TopupRow.Columns, "id", id, ct) ?? throw NotFound(id);

    public static async Task<TopupRow> LockAsync(Db db, string id, CancellationToken ct) =>
        await ResourceRows.LockAsync<TopupRow>(db, TopupStates.Table, TopupRow.Columns, id, ct) ?? throw NotFound(id);

    public static Task<TopupRow?> FindByRequestAsync(Db db, string requestKey, CancellationToken ct) =>
        ResourceRows.FindAsync<TopupRow>(db, TopupStates.Table, TopupRow.Columns, "request_key", requestKey, ct);

    private static ApiException NotFound(string id) => ApiErrors.NotFound(ApiErrors.TopupNotFound, "Top-up", id);
}
