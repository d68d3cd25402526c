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
