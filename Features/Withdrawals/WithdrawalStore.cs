using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Features.Withdrawals;

public static class WithdrawalStore
{
    public static readonly UserTokenAccess UserTokenAccess =
        new UserTokenAccess.OwnedResource("SELECT user_id FROM withdrawals WHERE id = @id", ApiErrors.WithdrawalNotFound, "Withdrawal");

    public static async Task<WithdrawalRow> GetAsync(Db db, string id, CancellationToken ct) =>
        await ResourceRows.FindAsync<WithdrawalRow>(db, WithdrawalStates.Table, WithdrawalRow.Columns, "id", id, ct) ?? throw NotFound(id);

    public static async Task<WithdrawalRow> LockAsync(Db db, string id, CancellationToken ct) =>
        await ResourceRows.LockAsync<WithdrawalRow>(db, WithdrawalStates.Table, WithdrawalRow.Columns, id, ct) ?? throw NotFound(id);

    public static Task<WithdrawalRow?> FindByRequestAsync(Db db, string requestKey, CancellationToken ct) =>
        ResourceRows.FindAsync<WithdrawalRow>(db, WithdrawalStates.Table, WithdrawalRow.Columns, "request_key", requestKey, ct);

    private static ApiException NotFound(string id) => ApiErrors.NotFound(ApiErrors.WithdrawalNotFound, "Withdrawal", id);
}
