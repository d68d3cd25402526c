namespace OfferHub.Lite.Infrastructure.StateMachines;

/// <summary>Decides what a provider's report of a resource's status means locally: the transitions
/// that lead to the reported state, or nothing when the report is older than one already applied,
/// names a status we do not know, or points backwards (a late or reordered callback).</summary>
public sealed partial class ProviderReports(ILogger<ProviderReports> logger)
{
    public IReadOnlyList<Transition> Plan(StateMachine machine, string id, string current, string providerStatus, string? target, long? appliedAt, long reportedAt)
    {
        if (appliedAt is { } applied && reportedAt < applied)
        {
            LogStale(machine.Resource, id, providerStatus);
            return [];
        }

        if (target is null)
        {
            LogUnknown(machine.Resource, id, providerStatus);
            return [];
        }

        var path = machine.PathTo(current, target);
        if (path is null)
        {
            LogUnreachable(machine.Resource, id, current, target);
        }

        return path ?? [];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} {Id}: ignored an older provider report ({ProviderStatus})")]
    private partial void LogStale(string resource, string id, string providerStatus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} {Id}: unknown provider status {ProviderStatus}, left for reconciliation")]
    private partial void LogUnknown(string resource, string id, string providerStatus);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} {Id}: no transition from {Status} to {Target}; report ignored")]
    private partial void LogUnreachable(string resource, string id, string status, string target);
}
