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

    /// <summary>True when the database refused a value itself (PostgreSQL's data exceptions, class
    /// 22: too long for its column, out of range, not storable text): input that no validator
    /// caught, so the client's fault and not a server error.</summary>
    public static bool IsUnstorableValue(Exception exception) =>
        exception is PostgresException { SqlState: ['2', '2', ..] } || exception.InnerException is PostgresException { SqlState: ['2', '2', ..] };
}
