namespace OfferHub.Lite.Tests.Support;

/// <summary>One app per dialect per test class, each on its own fresh database, created on
/// first use. A PostgreSQL case is skipped, loudly, only where no PostgreSQL is installed;
/// under CI=true that is a failure instead.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    private readonly Dictionary<Dialect, TestApp> apps = [];
    private readonly List<string> sqliteFiles = [];
    private readonly Lock gate = new();

    public TestApp Get(Dialect dialect)
    {
        if (dialect == Dialect.Postgres)
        {
            Skip.If(PostgresServer.Instance is null, "SKIPPED (no PostgreSQL): " + PostgresServer.UnavailableReason);
        }

        lock (gate)
        {
            if (!apps.TryGetValue(dialect, out var app))
            {
                app = new TestApp(dialect, NewDatabaseUrl(dialect));
                apps[dialect] = app;
            }

            return app;
        }
    }

    /// <summary>The ledger invariant over every app this class has started.</summary>
    public async Task AssertBooksBalancedAsync()
    {
        List<TestApp> started;
        lock (gate)
        {
            started = [.. apps.Values];
        }

        foreach (var app in started)
        {
            await app.AssertBooksBalancedAsync();
        }
    }

    public string NewDatabaseUrl(Dialect dialect)
    {
        if (dialect == Dialect.Postgres)
        {
            return PostgresServer.Instance!.CreateDatabase();
        }

        var file = Path.Combine(Path.GetTempPath(), "offerhub-tests", Guid.NewGuid().ToString("N") + ".db");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        lock (gate)
        {
            sqliteFiles.Add(file);
        }

        return "sqlite://" + file;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in apps.Values)
        {
            await app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in sqliteFiles)
        {
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }
        }
    }
}
