using Dapper;
using FluentMigrator.Runner;
using FluentMigrator.Runner.Initialization;
using OfferHub.Lite.Migrations;

namespace OfferHub.Lite.Infrastructure.Database;

/// <summary>Runs the FluentMigrator migrations of this assembly against the configured database.</summary>
public sealed class Migrator(Database database, ILoggerFactory loggerFactory)
{
    // Arbitrary constant: several instances starting together migrate one at a time.
    private const long PostgresMigrationLock = 4_207_310_001;

    public async Task MigrateAsync(CancellationToken ct)
    {
        await using var lockConnection = await database.OpenAsync(ct);
        if (database.Dialect == SqlDialect.Postgres)
        {
            await lockConnection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = PostgresMigrationLock }, cancellationToken: ct));
        }
        else
        {
            await lockConnection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: ct));
        }

        try
        {
            using var runner = BuildRunner();
            runner.GetRequiredService<IMigrationRunner>().MigrateUp();
        }
        finally
        {
            if (database.Dialect == SqlDialect.Postgres)
            {
                // Not cancellable: pooled connections are not reset (DatabaseSettings), so a
                // connection returned still holding this session lock would keep it.
                await lockConnection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@key)", new { key = PostgresMigrationLock }, cancellationToken: CancellationToken.None));
            }
        }
    }

    /// <summary>Migrations not applied yet, as "version: description".</summary>
    public IReadOnlyList<string> Pending()
    {
        using var runner = BuildRunner();
        var migrationRunner = runner.GetRequiredService<IMigrationRunner>();
        var versions = runner.GetRequiredService<FluentMigrator.Runner.IVersionLoader>();
        versions.LoadVersionInfo();
        return migrationRunner.MigrationLoader.LoadMigrations()
            .Where(m => !versions.VersionInfo.HasAppliedMigration(m.Key))
            .Select(m => $"{m.Key}: {m.Value.Description}")
            .ToList();
    }

    private ServiceProvider BuildRunner()
    {
        var services = new ServiceCollection()
            .AddSingleton(loggerFactory)
            .AddLogging()
            .AddFluentMigratorCore()
            .ConfigureRunner(runner =>
            {
                if (database.Dialect == SqlDialect.Postgres)
                {
                    runner.AddPostgres();
                }
                else
                {
                    runner.AddSQLite();
                }

                runner.WithGlobalConnectionString(database.Settings.ConnectionString)
                    .ScanIn(typeof(M0001Foundation).Assembly).For.Migrations();
            })
            .Configure<RunnerOptions>(o => o.TransactionPerSession = false);
        return services.BuildServiceProvider(validateScopes: false);
    }
}
