namespace OfferHub.Lite.Infrastructure.Pipeline;

/// <summary>A command whose every run, success or failure, gets an audit row.</summary>
public interface IAuditedCommand
{
    string AuditAction { get; }

    string AuditResourceType { get; }

    /// <summary>The resource acted on when the command names it; otherwise the id of the result.</summary>
    string? AuditResourceId => null;
}

/// <summary>A result that names the resource it describes.</summary>
public interface IHasId
{
    string Id { get; }
}

/// <summary>A command whose write transaction begins at its first write or locked read (see
/// <see cref="Database.TransactionStart.AtFirstWrite"/>), not at its first statement: one that calls
/// out after reading (a provider, the signing service, units of work of its own), so that no call
/// waits holding a transaction (on SQLite, the one writer); or one that reads much before a write
/// that does not depend on a lock (the ledger check). It commits with the checkpoint before a call
/// once it has written.</summary>
public interface IBeginsAtFirstWrite;
