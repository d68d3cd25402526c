namespace OfferHub.Lite.Tests.Support;

public enum Dialect
{
    Sqlite,
    Postgres,
}

public static class Dialects
{
    /// <summary>MemberData for database tests: every one runs on both.</summary>
    public static TheoryData<Dialect> All => new() { Dialect.Sqlite, Dialect.Postgres };
}
