using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

/// <summary>The schema the migrations leave, read from the database's own catalog.</summary>
public sealed class SchemaTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    // One row per index: its table, its name and its columns in order. Partial indexes are left
    // out (their predicate tells them apart), and so are Quartz's own tables (PostgreSQL only),
    // which follow Quartz's schema.
    private const string SqliteIndexes = """
        SELECT m.name || '|' || il.name || '|' ||
               (SELECT group_concat(ii.name, ',' ORDER BY ii.seqno) FROM pragma_index_info(il.name) ii)
        FROM sqlite_master m, pragma_index_list(m.name) il
        WHERE m.type = 'table' AND il.partial = 0
        """;

    private const string PostgresIndexes = """
        SELECT t.relname || '|' || i.relname || '|' || string_agg(a.attname, ',' ORDER BY k.ord)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE n.nspname = current_schema() AND x.indpred IS NULL AND t.relname NOT LIKE 'qrtz%'
        GROUP BY t.relname, i.relname
        """;

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task No_table_keeps_two_indexes_on_the_same_columns(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        await using var db = await app.OpenDbAsync();
        var indexes = (await db.QueryAsync<string>(dialect == Dialect.Sqlite ? SqliteIndexes : PostgresIndexes, null, CancellationToken.None))
            .Select(row => row.Split('|'))
            .ToList();

        Assert.Contains(indexes, index => index[0] == "orders" && index[2] == "client_order_ref");
        var twice = indexes.GroupBy(index => (Table: index[0], Columns: index[2]))
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key.Table}({group.Key.Columns}): {string.Join(", ", group.Select(index => index[1]))}")
            .ToList();
        Assert.Empty(twice);
    }
}
