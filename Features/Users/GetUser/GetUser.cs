using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Features.Users.GetUser;

public static class GetUser
{
    public sealed record Query(string Id) : IQuery<UserResponse>;

    public sealed class Handler(Db db) : IQueryHandler<Query, UserResponse>
    {
        private const string Sql = $"SELECT {UserRow.Columns} FROM users WHERE id = @Id";

        public async ValueTask<UserResponse> Handle(Query query, CancellationToken cancellationToken)
        {
            var row = await db.QuerySingleOrDefaultAsync<UserRow>(Sql, query, cancellationToken)
                ?? throw ApiErrors.NotFound(ApiErrors.UserNotFound, "User", query.Id);
            return row.ToResponse();
        }
    }
}
