using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Features.Users;

public static class UserStore
{
    /// <summary>A user-bound token reaches its own user only.</summary>
    public static readonly UserTokenAccess UserTokenAccess =
        new UserTokenAccess.OwnedResource("SELECT id FROM users WHERE id = @id", ApiErrors.UserNotFound, "User");

    private const string ExistsSql = "SELECT COUNT(*) FROM users WHERE id = @id";

    private const string GetSql = "SELECT " + UserRow.Columns + " FROM users WHERE id = @id";

    public static async Task<UserRow> GetAsync(Db db, string id, CancellationToken ct) =>
        await db.QuerySingleOrDefaultAsync<UserRow>(GetSql, new { id }, ct) ?? throw ApiErrors.NotFound(ApiErrors.UserNotFound, "User", id);

    /// <summary>The user, who must be active to move money.</summary>
    public static async Task<UserRow> GetActiveAsync(Db db, string id, CancellationToken ct) => RequireActive(await GetAsync(db, id, ct), "user");

    /// <summary>The one rule for moving money: the user must be active, or the request is refused
    /// with USER_SUSPENDED naming the user by <paramref name="role"/> (user, buyer, seller).</summary>
    public static UserRow RequireActive(UserRow user, string role) =>
        user.Status == UserValues.Active
            ? user
            : throw new ApiException(422, ApiErrors.UserSuspended, $"The {role} is not active",
                new Dictionary<string, object?> { ["user_id"] = user.Id, ["status"] = user.Status });

    /// <summary>The e-mail of the user's Airtm account, or AIRTM_USER_NOT_LINKED.</summary>
    public static string LinkedAirtmEmail(UserRow user) =>
        user.AirtmUserId is not null && user.AirtmEmail is not null
            ? user.AirtmEmail
            : throw new ApiException(422, ApiErrors.AirtmUserNotLinked, "The user has no linked Airtm account", new Dictionary<string, object?> { ["user_id"] = user.Id });

    public static async Task RequireAsync(Db db, string id, CancellationToken ct)
    {
        if (await db.ExecuteScalarAsync<long>(ExistsSql, new { id }, ct) == 0)
        {
            throw ApiErrors.NotFound(ApiErrors.UserNotFound, "User", id);
        }
    }
}
