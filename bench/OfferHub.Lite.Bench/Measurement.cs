using System.Diagnostics;

namespace OfferHub.Lite.Bench;

public sealed record Measurement(int Operations, TimeSpan Elapsed, double P50Ms, double P99Ms)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    /// <summary>Runs <paramref name="operations"/> calls of <paramref name="operation"/> spread over
    /// <paramref name="workers"/> concurrent workers and times each one.</summary>
    public static async Task<Measurement> RunAsync(int operations, int workers, Func<int, Task> operation)
    {
        var latencies = new double[operations];
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < operations)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(i);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        total.Stop();
        Array.Sort(latencies);
        return new Measurement(operations, total.Elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    /// <summary>Runs rounds of <paramref name="operation"/> with 8 workers for at least
    /// <paramref name="duration"/>, unmeasured. The tiered JIT needs that long under load: in
    /// rounds of 400 operations the 8-client rate climbed from 285 to about 700 operations/s over
    /// the first 12–17 s of a new server, as hot methods moved from tier-0 through instrumented
    /// code to optimised tier-1 code.</summary>
    public static async Task WarmUpAsync(TimeSpan duration, Func<int, Task> operation)
    {
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < duration)
        {
            await RunAsync(200, 8, operation);
        }
    }

    /// <summary>The nearest-rank percentile of an ascending array.</summary>
    internal static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
