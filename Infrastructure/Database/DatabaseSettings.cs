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
    public const string DefaultSqliteFile = "./data/offerhub.db";

    public static DatabaseSettings FromUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return Sqlite(DefaultSqliteFile);
        }

        if (url.StartsWith("sqlite://", StringComparison.OrdinalIgnoreCase))
        {
            var path = url["sqlite://".Length..];
            return path.Length == 0 ? throw Invalid() : Sqlite(path);
        }

        if (url.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var builder = new SqliteConnectionStringBuilder(url);
                return Sqlite(builder.DataSource);
            }
            catch (ArgumentException)
            {
                throw Invalid();
            }
        }

        if (url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            return Postgres(url);
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

    private static DatabaseSettings Postgres(string url)
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

        return new DatabaseSettings(SqlDialect.Postgres, builder.ConnectionString);
    }

    private static StartupConfigurationException Invalid() =>
        new("DATABASE_URL must be empty, sqlite:///path/file.db, Data Source=..., or postgresql://user:pass@host:5432/db.");
}
