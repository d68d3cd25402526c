using StackExchange.Redis;
using OfferHub.Lite.Infrastructure.Configuration;

namespace OfferHub.Lite.Infrastructure.Events;

/// <summary>"The outbox has new sequenced events": a wake-up for the live streams of this process,
/// carried to every other instance through Redis pub/sub when REDIS_URL is set. It carries no
/// event: streams read the outbox themselves, so a lost message costs at most one poll interval,
/// never an event.</summary>
public sealed partial class EventBus(OfferHubOptions options, ILogger<EventBus> logger) : IHostedService, IAsyncDisposable
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("offerhub:events");

    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ConnectionMultiplexer? redis;

    /// <summary>Completes at the next change. Take it before reading the outbox, so that a change
    /// between the read and the wait is not missed.</summary>
    public Task NextChange => Volatile.Read(ref changed).Task;

    /// <summary>The shared Redis database when connected, for state every instance must agree on
    /// (rate-limit counters); null means "count here".</summary>
    public IDatabase? SharedStore => redis is { IsConnected: true } connection ? connection.GetDatabase() : null;

    public string RedisStatus => string.IsNullOrWhiteSpace(options.RedisUrl) ? "disabled" : redis?.IsConnected == true ? "ok" : "unreachable";

    public void NotifyLocal() =>
        Interlocked.Exchange(ref changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Wakes the streams here and, through Redis, everywhere else.</summary>
    public async Task PublishAsync()
    {
        NotifyLocal();
        if (redis is { IsConnected: true } connection)
        {
            try
            {
                await connection.GetSubscriber().PublishAsync(Channel, "sequenced");
            }
            catch (RedisException failure)
            {
                LogPublishFailed(failure.GetType().Name);
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.RedisUrl) || !RedisSettings.TryParse(options.RedisUrl, out var settings))
        {
            return;
        }

        // Never fails the start: without Redis the streams poll the outbox.
        settings.AbortOnConnectFail = false;
        redis = await ConnectionMultiplexer.ConnectAsync(settings);
        await redis.GetSubscriber().SubscribeAsync(Channel, (_, _) => NotifyLocal());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis publish failed ({Failure}); other instances will see the events at their next poll")]
    private partial void LogPublishFailed(string failure);
}

/// <summary>REDIS_URL (redis://[user][:password@]host[:port][/db]) as client settings.</summary>
public static class RedisSettings
{
    public static bool TryParse(string url, out ConfigurationOptions settings)
    {
        settings = new ConfigurationOptions();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || string.IsNullOrEmpty(uri.Host))
        {
            return false;
        }

        settings.EndPoints.Add(uri.Host, uri.Port > 0 ? uri.Port : 6379);
        settings.Ssl = uri.Scheme == "rediss";
        if (uri.UserInfo.Length > 0)
        {
            var parts = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
            settings.User = parts.Length == 2 && parts[0].Length > 0 ? parts[0] : null;
            settings.Password = parts.Length == 2 ? parts[1] : parts[0];
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, out var database))
            {
                return false;
            }

            settings.DefaultDatabase = database;
        }

        return true;
    }
}
