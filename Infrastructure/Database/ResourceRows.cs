namespace OfferHub.Lite.Infrastructure.Database;

/// <summary>Reading one resource row by id, plainly or under lock, for the stores of the slices.</summary>
public static class ResourceRows
{
    /// <summary>The row, or null. <paramref name="table"/> and <paramref name="columns"/> are the
    /// stores' constants, never input.</summary>
    public static Task<T?> FindAsync<T>(Db db, string table, string columns, string column, string value, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<T>($"SELECT {columns} FROM {table} WHERE {column} = @value", new { value }, ct);

    /// <summary>Starts the write transaction and reads the row under lock: FOR UPDATE on PostgreSQL;
    /// on SQLite the write transaction already serialises writers.</summary>
    public static async Task<T?> LockAsync<T>(Db db, string table, string columns, string id, CancellationToken ct)
    {
        await db.BeginAsync(ct);
        var forUpdate = db.Dialect == SqlDialect.Postgres ? " FOR UPDATE" : string.Empty;
        return await db.QuerySingleOrDefaultAsync<T>($"SELECT {columns} FROM {table} WHERE id = @id{forUpdate}", new { id }, ct);
    }
}
