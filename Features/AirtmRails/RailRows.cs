using FluentValidation;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Paging;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.AirtmRails;

/// <summary>The rows of one Airtm rail (top-ups, withdrawals): one table, each row a user's,
/// found by id or by the request that created it, and listed newest first.</summary>
public sealed class RailRows<TRow>(string table, string columns, string notFoundCode, string noun)
{
    private readonly string listSql = $"SELECT {columns} FROM {table} /**where**/ ORDER BY id DESC LIMIT @fetch";

    /// <summary>A user-bound token reaches its own user's rows only.</summary>
    public UserTokenAccess UserTokenAccess { get; } = new UserTokenAccess.OwnedResource($"SELECT user_id FROM {table} WHERE id = @id", notFoundCode, noun);

    public async Task<TRow> GetAsync(Db db, string id, CancellationToken ct) =>
        await ResourceRows.FindAsync<TRow>(db, table, columns, "id", id, ct) ?? throw NotFound(id);

    public async Task<TRow> LockAsync(Db db, string id, CancellationToken ct) =>
        await ResourceRows.LockAsync<TRow>(db, table, columns, id, ct) ?? throw NotFound(id);

    public Task<TRow?> FindByRequestAsync(Db db, string requestKey, CancellationToken ct) =>
        ResourceRows.FindAsync<TRow>(db, table, columns, "request_key", requestKey, ct);

    /// <summary>One page, newest first, of the rows of <paramref name="userId"/> and in
    /// <paramref name="status"/> when they are given.</summary>
    public Task<IReadOnlyList<TRow>> ListAsync(Db db, PageRequest page, string? userId, string? status, CancellationToken ct)
    {
        var where = new SqlWhere()
            .When(userId is not null, "user_id = @userId", "userId", userId)
            .When(status is not null, "status = @status", "status", status)
            .Page(page);
        return db.QueryAsync<TRow>(where.Into(listSql), where.Parameters, ct);
    }

    private ApiException NotFound(string id) => ApiErrors.NotFound(notFoundCode, noun, id);
}

/// <summary>The filters of a rail's list: GET /topups and GET /withdrawals take the same ones.</summary>
public interface IRailListQuery : IPagedQuery
{
    string? UserId { get; }

    string? Status { get; }
}

/// <summary>The one validator of a rail's list filters; each list names its states and id prefix.</summary>
public abstract class RailListValidator<TQuery> : AbstractValidator<TQuery>
    where TQuery : IRailListQuery
{
    protected RailListValidator(string[] states, string idPrefix)
    {
        RuleFor(q => q.UserId).MustBeCursor("usr").WithMessage("must be a user id (usr_...)");
        RuleFor(q => q.Status).MustBeOneOf(states);
        RuleFor(q => q.Limit).MustBeLimit();
        RuleFor(q => q.Cursor).MustBeCursor(idPrefix);
    }
}
