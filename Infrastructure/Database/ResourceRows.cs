namespace OfferHub.Lite.Infrastructure.Database;

/// <summary>Reading one resource row by id, plainly or under lock, for the stores of the slices.</summary>
public static class ResourceRows
{
    /// <summary>The row, or null. <paramref name="table"/> and <paramref name="columns"/> are the
    /// stores' constants, never input.</summary>
    public static Task<T?> FindAsync<T>(Db db, string table, string columns, string column, string value, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<T>($"SELECT {columns} FROM {table} WHERE {column} = @value", new { value }, ct);

    /// <summary>The row locked for the rest of the write transaction, which begins here (see
    /// <see cref="Db.QueryForUpdateAsync{T}"/>), or null.</summary>
    public static Task<T?> LockAsync<T>(Db db, string table, string columns, string id, CancellationToken ct) =>
        db.QueryForUpdateAsync<T>($"SELECT {columns} FROM {table} WHERE id = @id", new { id }, ct);
}
