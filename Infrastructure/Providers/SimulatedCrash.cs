using System.Globalization;

namespace OfferHub.Lite.Infrastructure.Providers;

/// <summary>Test-only, and only for a provider in simulated mode: the process kills itself
/// (SIGKILL, no shutdown of any kind) at a named point of a provider call, so that crash tests stop
/// it exactly at a recovery point instead of racing a timer. OFFERHUB_SIMULATED_CRASH names the
/// point as "before:{operation}" (the request is not sent) or "after:{operation}" (the provider
/// answered success, nothing of it is recorded yet), optionally "#n" for the n-th such call of the
/// process; the operation is the provider client's name for the call (commit_payout, send_transaction).</summary>
public sealed class SimulatedCrash
{
    public const string Variable = "OFFERHUB_SIMULATED_CRASH";

    private readonly string point;
    private readonly int nth;
    private int seen;

    private SimulatedCrash(string point, int nth)
    {
        this.point = point;
        this.nth = nth;
    }

    // One per process, so that "#n" counts every client's calls.
    private static readonly SimulatedCrash? Configured = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } setting ? Parse(setting) : null;

    /// <summary>The crash point of this process for a provider in <paramref name="mode"/>; none
    /// unless the mode is simulated and the variable is set.</summary>
    public static SimulatedCrash? For(string mode) => mode == "simulated" ? Configured : null;

    private static SimulatedCrash Parse(string setting)
    {
        var hash = setting.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? new SimulatedCrash(setting, 1) : new SimulatedCrash(setting[..hash], int.Parse(setting[(hash + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>Dies here when this is the named point ("before" or "after" <paramref name="operation"/>).</summary>
    public void At(string when, string operation)
    {
        if (point == $"{when}:{operation}" && Interlocked.Increment(ref seen) == nth)
        {
            Console.Out.Flush();
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }
    }
}
