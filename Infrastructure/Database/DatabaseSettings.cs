using Microsoft.Data.Sqlite;
using Npgsql;
using OfferHub.Lite.Infrastructure.Configuration;

namespace OfferHub.Lite.Infrastructure.Database;

public enum SqlDialect
{
    Sqlite,
    Postgres,
}

/// <summary>What DATABASE_URL selects: a dialect and an ADO.NET connection string.</summary>
public sealed record DatabaseSettings(SqlDialect Dialect, string ConnectionString)
{
    /// <summary>How many SQLite write transactions may share one commit (OFFERHUB_SQLITE_GROUP_COMMIT);
    /// 1 commits every transaction on its own.</summary>
    public int SqliteGroupCommit { get; init; } = 64;

    public const string DefaultSqliteFileName = "offerhub.db";

    /// <summary>Set in the single-file build (see the project file): its data goes beside the
    /// executable, wherever it is started from; `dotnet run` keeps ./data.</summary>
    private static readonly bool DataBesideExecutable = typeof(DatabaseSettings).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .OfType<System.Reflection.AssemblyMetadataAttribute>()
        .Any(a => a is { Key: "OfferHub.DataBesideExecutable", Value: "true" });

    public static string DefaultDataDirectory => DataBesideExecutable ? Path.Combine(AppContext.BaseDirectory, "data") : "./data";

    public static DatabaseSettings From(OfferHubOptions options) =>
        FromUrl(options.DatabaseUrl, options.DatabasePassword, options.DataDirectory) with { SqliteGroupCommit = options.SqliteGroupCommit };

    /// <summary>An empty URL is SQLite in <paramref name="dataDirectory"/> (OFFERHUB_DATA_DIR) or
    /// <see cref="DefaultDataDirectory"/>; <paramref name="password"/> (DATABASE_PASSWORD) replaces
    /// the password of a PostgreSQL URL.</summary>
    public static DatabaseSettings FromUrl(string? url, string? password = null, string? dataDirectory = null)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return string.IsNullOrEmpty(password)
                ? Sqlite(Path.Combine(string.IsNullOrWhiteSpace(dataDirectory) ? DefaultDataDirectory : dataDirectory, DefaultSqliteFileName))
                : throw PasswordWithoutPostgres();
        }

        if (url.StartsWith("sqlite://", StringComparison.OrdinalIgnoreCase))
        {
            var path = url["sqlite://".Length..];
            return path.Length == 0 ? throw Invalid() : string.IsNullOrEmpty(password) ? Sqlite(path) : throw PasswordWithoutPostgres();
        }

        if (url.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var builder = new SqliteConnectionStringBuilder(url);
                return string.IsNullOrEmpty(password) ? Sqlite(builder.DataSource) : throw PasswordWithoutPostgres();
            }
            catch (ArgumentException)
            {
                throw Invalid();
            }
        }

        if (url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            return Postgres(url, password);
        }

        throw Invalid();
    }

    private static DatabaseSettings Sqlite(string path)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        };
        return new DatabaseSettings(SqlDialect.Sqlite, builder.ToString());
    }

    private static DatabaseSettings Postgres(string url, string? password)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw Invalid();
        }

        var database = uri.AbsolutePath.Trim('/');
        if (database.Length == 0)
        {
            throw Invalid();
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(database),
            MaxPoolSize = 50,
            // Statements used twice on a connection are prepared on the server, so PostgreSQL
            // parses and plans each of the hot path's statements once per connection instead of
            // at every call. Behind a transaction-pooling proxy, ?max_auto_prepare=0 turns it off.
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
            // A connection taken from the pool is used as it was left, without Npgsql's reset
            // (seven commands: RESET ALL, DISCARD TEMP, pg_advisory_unlock_all() and more, sent
            // before every request's first statement). Nothing using this connection string leaves
            // session state: not our statements, nor Quartz's job store (row locks inside its
            // transactions), nor FluentMigrator; the one session lock, the migrator's, is released
            // in a finally. ?no_reset_on_close=false brings the reset back.
            NoResetOnClose = true,
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            try
            {
                builder[key.Replace('_', ' ')] = value;
            }
            catch (ArgumentException)
            {
                throw Invalid();
            }
        }

        if (!string.IsNullOrEmpty(password))
        {
            builder.Password = password;
        }

        return new DatabaseSettings(SqlDialect.Postgres, builder.ConnectionString);
    }

    private static StartupConfigurationException PasswordWithoutPostgres() =>
        new("DATABASE_PASSWORD applies only to a postgresql:// DATABASE_URL.");

    private static StartupConfigurationException Invalid() =>
        new("DATABASE_URL must be empty, sqlite:///path/file.db, Data Source=..., or postgresql://user:pass@host:5432/db.");
}
