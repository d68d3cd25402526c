namespace OfferHub.Lite.Tests.Support;

/// <summary>Waiting for something asynchronous (a callback, a job, a delivery) by polling with a
/// deadline, never by sleeping a fixed time.</summary>
public static class Eventually
{
    /// <summary>Probes until <paramref name="done"/> holds and returns that value; fails with
    /// <paramref name="failure"/> of the last value once the deadline has passed. A costly probe
    /// (a CLI process, a query over many rows) asks for a longer <paramref name="intervalMs"/>.</summary>
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

            Assert.True(DateTime.UtcNow < deadline, failure(value));
            await Task.Delay(intervalMs);
        }
    }
}
