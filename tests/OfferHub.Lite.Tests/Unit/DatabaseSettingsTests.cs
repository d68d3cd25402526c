using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Tests.Unit;

public sealed class DatabaseSettingsTests
{
    [Theory]
    [InlineData(null, SqlDialect.Sqlite, "offerhub.db")]
    [InlineData("sqlite:///var/lib/offerhub/x.db", SqlDialect.Sqlite, "/var/lib/offerhub/x.db")]
    [InlineData("Data Source=/tmp/a.db", SqlDialect.Sqlite, "/tmp/a.db")]
    [InlineData("postgresql://app:p%40ss@db.internal:6543/offerhub?sslmode=require", SqlDialect.Postgres, "Host=db.internal")]
    public void Database_url_selects_the_dialect(string? url, SqlDialect dialect, string fragment)
    {
        var settings = DatabaseSettings.FromUrl(url);
        Assert.Equal(dialect, settings.Dialect);
        Assert.Contains(fragment, settings.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void A_postgres_url_keeps_its_credentials_and_options()
    {
        var settings = DatabaseSettings.FromUrl("postgresql://app:p%40ss@db.internal:6543/offerhub?sslmode=require");
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal(("app", "p@ss", 6543, "offerhub", Npgsql.SslMode.Require), (builder.Username, builder.Password, builder.Port, builder.Database, builder.SslMode));
    }

    [Theory]
    [InlineData("postgresql://app@db/offerhub", 64)]
    [InlineData("postgresql://app@db/offerhub?max_auto_prepare=0", 0)]
    public void Postgres_statements_are_prepared_on_the_server_unless_the_url_turns_it_off(string url, int maxAutoPrepare)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(DatabaseSettings.FromUrl(url).ConnectionString);
        Assert.Equal(maxAutoPrepare, builder.MaxAutoPrepare);
    }

    [Theory]
    [InlineData("postgresql://app@db/offerhub", true)]
    [InlineData("postgresql://app@db/offerhub?no_reset_on_close=false", false)]
    public void Pooled_postgres_connections_skip_the_session_reset_unless_the_url_asks_for_it(string url, bool noReset)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(DatabaseSettings.FromUrl(url).ConnectionString);
        Assert.Equal(noReset, builder.NoResetOnClose);
    }

    [Fact]
    public void A_postgres_url_sets_the_pool_size_in_its_query_string()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(DatabaseSettings.FromUrl("postgresql://app@db/offerhub?maximum_pool_size=100").ConnectionString);
        Assert.Equal(100, builder.MaxPoolSize);
    }

    [Theory]
    [InlineData("mysql://app:hunter2@x/db")]
    [InlineData("postgresql://app:hunter2@host-without-db")]
    [InlineData("postgresql://app:hunter2@db/x?no_such_option=1")]
    [InlineData("postgresql://app:hunter2@db/x?max_auto_prepare=many")]
    [InlineData("postgresql://app:hunter2@db/x?no_reset_on_close=maybe")]
    [InlineData("sqlite://")]
    public void Anything_else_names_the_variable_and_not_its_value(string url)
    {
        var error = Assert.Throws<StartupConfigurationException>(() => DatabaseSettings.FromUrl(url));
        Assert.StartsWith("DATABASE_URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Database_password_is_taken_as_is_so_url_characters_in_it_need_no_encoding()
    {
        var settings = DatabaseSettings.FromUrl("postgresql://offerhub@postgres:5432/offerhub", "p@ss/w:rd%");
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal(("offerhub", "p@ss/w:rd%", "postgres", "offerhub"), (builder.Username, builder.Password, builder.Host, builder.Database));
    }

    [Fact]
    public void Without_a_url_the_sqlite_file_goes_into_the_data_directory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "offerhub-data-dir");
        var settings = DatabaseSettings.FromUrl(null, dataDirectory: directory);
        Assert.Equal(Path.Combine(directory, "offerhub.db"), new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(settings.ConnectionString).DataSource);
    }
}
