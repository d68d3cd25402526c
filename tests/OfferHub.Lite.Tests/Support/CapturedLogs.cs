using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OfferHub.Lite.Tests.Support;

/// <summary>Keeps every log line the app writes (message, exception and scope values), so tests
/// can prove that no secret reaches a log.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> lines = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static string Describe(object? value) => value is IEnumerable<KeyValuePair<string, object?>> pairs
        ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
        : value?.ToString() ?? string.Empty;

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopeText = new List<string>();
            owner.scopes.ForEachScope((scope, list) => list.Add(Describe(scope)), scopeText);
            owner.lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception} {string.Join(' ', scopeText)} {Describe(state)}");
        }
    }
}
