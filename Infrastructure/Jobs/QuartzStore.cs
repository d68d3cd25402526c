using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using Quartz;

namespace OfferHub.Lite.Infrastructure.Jobs;

/// <summary>Where Quartz keeps its schedule. On PostgreSQL: the clustered ADO.NET job store in the
/// tables of migration 7, so that with several instances each firing runs on one of them. On
/// SQLite (one instance by design): Quartz's in-memory store. Quartz takes its store when it is
/// registered, so DATABASE_URL is read from the configuration there and then.</summary>
public static class QuartzStore
{
    public static void Add(WebApplicationBuilder builder)
    {
        var url = builder.Configuration["DATABASE_URL"] is { Length: > 0 } flat ? flat : builder.Configuration[$"{OfferHubOptions.Section}:DatabaseUrl"];
        DatabaseSettings? database;
        try
        {
            var password = builder.Configuration["DATABASE_PASSWORD"] is { Length: > 0 } flatPassword ? flatPassword : builder.Configuration[$"{OfferHubOptions.Section}:DatabasePassword"];
            database = DatabaseSettings.FromUrl(url, password);
        }
        catch (StartupConfigurationException)
        {
            // The options validation reports it at start.
            database = null;
        }

        // An instance that runs no jobs (OfferHub:Jobs:Enabled=false) needs no shared store.
        var jobs = !string.Equals(builder.Configuration[$"{OfferHubOptions.Section}:Jobs:Enabled"], "false", StringComparison.OrdinalIgnoreCase);
        builder.Services.AddQuartz(quartz =>
        {
            if (jobs && database is { Dialect: SqlDialect.Postgres })
            {
                quartz.UsePersistentStore(store =>
                {
                    store.UsePostgres(database.ConnectionString);
                    store.UseClustering(cluster => cluster.CheckinInterval = TimeSpan.FromSeconds(5));
                });
            }
        });
    }
}
