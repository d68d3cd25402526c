using Mediator;
using OfferHub.Lite.Infrastructure.Configuration;

namespace OfferHub.Lite.Infrastructure.Jobs;

/// <summary>A background job: how often it runs and the slice command it sends (the logic lives
/// in the slice). Run returns a one-line summary for the run log.</summary>
public sealed record JobDefinition(string Name, Func<OfferHubOptions, int> EverySeconds, Func<ISender, CancellationToken, Task<string>> Run);

/// <summary>The jobs this process schedules. The composition root fills it with the slices' jobs,
/// so that the scheduling mechanism here never names a slice.</summary>
public sealed class JobCatalog(IReadOnlyList<JobDefinition> jobs)
{
    public IReadOnlyList<JobDefinition> All => jobs;

    public JobDefinition? Find(string name) => jobs.FirstOrDefault(j => j.Name == name);
}
