namespace OfferHub.Lite.Tests.Support;

/// <summary>Waiting for something asynchronous (a callback, a job, a delivery, a process
/// starting) by polling with a deadline, never by sleeping a fixed time. It throws rather than
/// asserts, so the chaos campaign and the bench, which run without xUnit, share it.</summary>
public static class Eventually
{
    /// <summary>Probes until <paramref name="done"/> holds and returns that value; fails with
    /// <paramref name="failure"/> of the last value once the deadline has passed. A costly probe
    /// (a CLI process, a query over many rows) asks for a longer <paramref name="intervalMs"/>;
    /// a probe that sees the wait cannot succeed any more (the process exited) throws.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, Func<T, string> failure, int timeoutMs = 15_000, int intervalMs = 20)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(failure(value));
            }

            await Task.Delay(intervalMs);
        }
    }
}
