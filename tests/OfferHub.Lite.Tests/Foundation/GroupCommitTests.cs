using System.Net;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

/// <summary>Group commit keeps every guarantee of one commit per request: a failing transaction
/// rolls back alone, the rest share commits, and nothing is answered before it is committed.
/// (Concurrent requests failing inside groups through HTTP: Features/Orders/ConcurrencyTests.)</summary>
public sealed class GroupCommitTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_failing_transaction_rolls_back_alone_while_the_others_share_commits()
    {
        await using var database = new Database(NewSqliteFile());
        await WriteAsync(database, db => db.ExecuteAsync("CREATE TABLE t (id INTEGER PRIMARY KEY)", null, CancellationToken.None));
        var before = (database.Writer!.Commits, database.Writer.Transactions);

        // One transaction holds the writer until all 48 others are queued behind it, so that they
        // are sure to meet (on a busy machine quick transactions could otherwise never overlap).
        var holding = new TaskCompletionSource();
        var queued = new TaskCompletionSource();
        var holder = Task.Run(() => WriteAsync(database, async db =>
        {
            await db.ExecuteAsync("INSERT INTO t (id) VALUES (1000)", null, CancellationToken.None);
            holding.SetResult();
            await queued.Task;
        }));
        await holding.Task;
        var outcomes = Enumerable.Range(0, 48).Select(i => Task.Run(async () =>
        {
            try
            {
                await WriteAsync(database, async db =>
                {
                    await db.ExecuteAsync("INSERT INTO t (id) VALUES (@i)", new { i }, CancellationToken.None);
                    if (i % 4 == 0)
                    {
                        throw new InvalidOperationException("refused after writing");
                    }
                });
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        })).ToList();
        await Eventually.UntilAsync(() => Task.FromResult(database.Writer.Waiting), waiting => waiting == 48, waiting => $"only {waiting} transactions queued", timeoutMs: 60_000);
        queued.SetResult();
        await holder;
        var succeeded = await Task.WhenAll(outcomes);

        await using var reader = new Db(database);
        var stored = await reader.QueryAsync<long>("SELECT id FROM t WHERE id < 1000 ORDER BY id", null, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 48).Where(i => i % 4 != 0), Enumerable.Range(0, 48).Where(i => succeeded[i]));
        Assert.Equal(Enumerable.Range(0, 48).Where(i => succeeded[i]).Select(i => (long)i), stored);
        var commits = database.Writer.Commits - before.Commits;
        Assert.Equal(37, database.Writer.Transactions - before.Transactions);
        Assert.True(commits < 37, $"37 transactions queued behind one another took {commits} commits: none were grouped");
    }

    [Fact]
    public async Task With_a_group_size_of_one_every_transaction_commits_on_its_own()
    {
        await using var database = new Database(NewSqliteFile() with { SqliteGroupCommit = 1 });
        await WriteAsync(database, db => db.ExecuteAsync("CREATE TABLE t (id INTEGER PRIMARY KEY)", null, CancellationToken.None));
        var holding = new TaskCompletionSource();
        var queued = new TaskCompletionSource();
        var holder = Task.Run(() => WriteAsync(database, async db =>
        {
            // Its first statement begins its transaction: the writer is held from here.
            await db.QuerySingleAsync<long>("SELECT COUNT(*) FROM t", null, CancellationToken.None);
            holding.SetResult();
            await queued.Task;
        }));
        await holding.Task;
        var writes = Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            WriteAsync(database, db => db.ExecuteAsync("INSERT INTO t (id) VALUES (@i)", new { i }, CancellationToken.None)))).ToList();
        await Eventually.UntilAsync(() => Task.FromResult(database.Writer!.Waiting), waiting => waiting == 16, waiting => $"only {waiting} transactions queued", timeoutMs: 60_000);
        queued.SetResult();
        await holder;
        await Task.WhenAll(writes);
        // The table's creation, the holder and the 16 inserts queued behind it: each its own commit.
        Assert.Equal((18L, 18L), (database.Writer!.Commits, database.Writer.Transactions));
    }

    [Fact]
    public async Task A_statement_the_writer_keeps_compiled_runs_again_after_it_failed()
    {
        await using var database = new Database(NewSqliteFile());
        await WriteAsync(database, db => db.ExecuteAsync("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)", null, CancellationToken.None));
        const string Insert = "INSERT INTO t (id, name) VALUES (@id, @name)";
        const string Read = "SELECT name FROM t WHERE id = @id";

        await WriteAsync(database, db => db.ExecuteAsync(Insert, new { id = 1, name = "a" }, CancellationToken.None));
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() =>
            WriteAsync(database, db => db.ExecuteAsync(Insert, new { id = 2, name = "a" }, CancellationToken.None)));
        var names = new List<string?>();
        await WriteAsync(database, async db =>
        {
            await db.ExecuteAsync(Insert, new { id = 3, name = "b" }, CancellationToken.None);
            names.Add(await db.QuerySingleOrDefaultAsync<string>(Read, new { id = 1 }, CancellationToken.None));
            names.Add(await db.QuerySingleOrDefaultAsync<string>(Read, new { id = 2 }, CancellationToken.None));
            names.Add(await db.QuerySingleOrDefaultAsync<string>(Read, new { id = 3 }, CancellationToken.None));
        });

        Assert.Equal(["a", null, "b"], names);
    }

    [Fact]
    public async Task A_group_whose_commit_fails_keeps_nothing_and_the_writer_goes_on()
    {
        await using var database = new Database(NewSqliteFile());
        // A deferred foreign key is checked only at COMMIT, and a COMMIT it fails leaves the
        // transaction open on the connection.
        await WriteAsync(database, db => db.ExecuteAsync(
            "CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)",
            null, CancellationToken.None));

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() =>
            WriteAsync(database, db => db.ExecuteAsync("INSERT INTO child (id, parent) VALUES (1, 42)", null, CancellationToken.None)));
        // Well inside busy_timeout (30 s): a writer connection left holding the failed transaction
        // would keep the next BEGIN IMMEDIATE waiting for all of it.
        await WriteAsync(database, db => db.ExecuteAsync("INSERT INTO parent (id) VALUES (7)", null, CancellationToken.None))
            .WaitAsync(TimeSpan.FromSeconds(10));

        // Several reads, so that every pooled reader connection is used once.
        var seen = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var reader = new Db(database);
            return await reader.QuerySingleAsync<string>("SELECT (SELECT COUNT(*) FROM child) || '/' || (SELECT COUNT(*) FROM parent)", null, CancellationToken.None);
        }));
        Assert.All(seen, counts => Assert.Equal("0/1", counts));
    }

    [Fact]
    public void A_read_still_open_keeps_its_values_when_the_same_text_runs_again()
    {
        var file = NewSqliteFile().ConnectionString;
        using var connection = new StatementCachingSqliteConnection(file);
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t (id) VALUES (1), (2), (3), (4)";
            setup.ExecuteNonQuery();
        }

        using var first = connection.CreateCommand();
        first.CommandText = "SELECT id FROM t WHERE id >= @from ORDER BY id";
        first.Parameters.AddWithValue("@from", 1);
        using var open = first.ExecuteReader();
        Assert.True(open.Read());

        using var second = connection.CreateCommand();
        second.CommandText = first.CommandText;
        second.Parameters.AddWithValue("@from", 3);
        var again = new List<long>();
        using (var reader = second.ExecuteReader())
        {
            while (reader.Read())
            {
                again.Add(reader.GetInt64(0));
            }
        }

        var rest = new List<long> { open.GetInt64(0) };
        while (open.Read())
        {
            rest.Add(open.GetInt64(0));
        }

        Assert.Equal([3L, 4L], again);
        Assert.Equal([1L, 2L, 3L, 4L], rest);
    }

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Every_answered_write_survives_a_kill_in_the_middle_of_a_burst(Dialect dialect)
    {
        _ = fixture.Get(dialect);
        var database = fixture.NewDatabaseUrl(dialect);
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var server = await ServerProcess.StartAsync(database);
        string key;
        await using (server)
        {
            key = (await (await server.Client().PostAsync("/api/v1/auth/api-keys", new { name = "burst", scopes = new[] { "read", "write" } })).OkAsync(HttpStatusCode.Created)).Str("api_key");
            using var client = server.Client(key);
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        acknowledged.Add(await client.CreateUserAsync("buyer"));
                    }
                    catch (Exception) when (stop.IsCancellationRequested)
                    {
                        return;
                    }
                }
            })).ToList();
            await Eventually.UntilAsync(() => Task.FromResult(acknowledged.Count), count => count >= 150, count => $"only {count} users were created", timeoutMs: 120_000);
            stop.Cancel();
            await server.DisposeAsync();
            await Task.WhenAll(writers);
        }

        await using var restarted = await ServerProcess.StartAsync(database);
        using var after = restarted.Client(key);
        foreach (var user in acknowledged)
        {
            await (await after.GetAsync($"/api/v1/users/{user}")).OkAsync();
        }
    }

    private static DatabaseSettings NewSqliteFile()
    {
        var file = Path.Combine(Path.GetTempPath(), "offerhub-tests", Guid.NewGuid().ToString("N") + ".db");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        return DatabaseSettings.FromUrl("sqlite://" + file);
    }

    private static async Task WriteAsync(Database database, Func<Db, Task> write)
    {
        await using var db = new Db(database);
        await using var scope = db.BeginScope();
        await write(db);
        await scope.CompleteAsync();
    }
}
