using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FuncSessions.IntegrationTests.Infrastructure;

/// <summary>One log entry as any sink would see it: the formatted message and the exception text.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Text);

/// <summary>
/// Records every log entry of a self-host at every level (Trace up, whatever the configured filters), so tests can
/// assert on audit events and on the absence of secrets (see <see cref="SecretLedger"/>).
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyCollection<CapturedLog> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Note: structured values too, in case a sink writes properties the message template leaves out.
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            entries.Enqueue(new CapturedLog(category, logLevel, eventId, $"{formatter(state, exception)} {properties} {exception}"));
        }
    }
}
