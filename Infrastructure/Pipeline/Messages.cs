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

/// <summary>A command that calls out after reading: a provider, the signing service, or units of
/// work of its own. Its write transaction begins at its first write or locked read (see
/// <see cref="Database.TransactionStart.AtFirstWrite"/>), and it commits with the checkpoint before
/// a call once it has written, so no call waits inside a transaction.</summary>
public interface ICallsOut;
