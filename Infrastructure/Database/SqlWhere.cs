using Dapper;
using OfferHub.Lite.Infrastructure.Paging;

namespace OfferHub.Lite.Infrastructure.Database;

/// <summary>Collects optional list filters as parameterised SQL conditions.</summary>
public sealed class SqlWhere
{
    public const string Placeholder = "/**where**/";

    private readonly List<string> conditions = [];

    public DynamicParameters Parameters { get; } = new();

    public SqlWhere When(bool apply, string condition, string name, object? value)
    {
        if (apply)
        {
            conditions.Add(condition);
            Parameters.Add(name, value);
        }

        return this;
    }

    public SqlWhere Add(string condition)
    {
        conditions.Add(condition);
        return this;
    }

    /// <summary>Newest first, keyset-paginated by the time-ordered id.</summary>
    public SqlWhere Page(PageRequest page, string idColumn = "id")
    {
        When(page.Cursor is not null, $"{idColumn} < @cursor", "cursor", page.Cursor);
        Parameters.Add("fetch", page.Fetch);
        return this;
    }

    /// <summary>Puts the conditions where the SQL says /**where**/ (Dapper's SqlBuilder convention).</summary>
    public string Into(string sql) =>
        sql.Replace(Placeholder, conditions.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", conditions), StringComparison.Ordinal);
}
