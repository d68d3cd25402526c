using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Features.Users;

public static class UserStore
{
    private const string ExistsSql = "SELECT COUNT(*) FROM users WHERE id = @id";

    public static async Task RequireAsync(Db db, string id, CancellationToken ct)
    {
        if (await db.ExecuteScalarAsync<long>(ExistsSql, new { id }, ct) == 0)
        {
            throw ApiErrors.NotFound(ApiErrors.UserNotFound, "User", id);
        }
    }
}
