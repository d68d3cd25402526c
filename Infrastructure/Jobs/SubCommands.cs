using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.Jobs;

/// <summary>Runs one piece of a maintenance job (one top-up, one withdrawal) in a unit of work of
/// its own, as the system actor, so that one failure neither stops nor rolls back the rest. The
/// pieces call providers, so the unit of work begins its transaction at the first write.</summary>
public static class SubCommands
{
    public sealed record Outcome(string? Status, string? Error);

    public static async Task<Outcome> RunAsync(IServiceScopeFactory scopes, string actor, Func<ISender, IServiceProvider, Task<string>> work)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<RequestContext>().Actor = new Actor("system", actor);
            var db = scope.ServiceProvider.GetRequiredService<Db>();
            await using var unit = db.BeginScope(TransactionStart.AtFirstWrite);
            var status = await work(scope.ServiceProvider.GetRequiredService<ISender>(), scope.ServiceProvider);
            await unit.CompleteAsync();
            return new Outcome(status, null);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            return new Outcome(null, failure.Message);
        }
    }
}
