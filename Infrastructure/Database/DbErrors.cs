using Microsoft.Data.Sqlite;
using Npgsql;

namespace OfferHub.Lite.Infrastructure.Database;

public static class DbErrors
{
    /// <summary>True for a unique-constraint violation on either dialect.</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
