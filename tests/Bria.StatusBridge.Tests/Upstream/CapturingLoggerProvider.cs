using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Bria.StatusBridge.Tests.Upstream;

/// <summary>Keeps every log entry, with its state values and exception, as the text a log sink would see.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<CapturedEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, Entries);

    public void Dispose()
    {
    }

    internal sealed record CapturedEntry(string Category, LogLevel Level, EventId EventId, string Text);

    private sealed class CapturingLogger(string category, ConcurrentQueue<CapturedEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    text.Append(CultureInfo.InvariantCulture, $" | {key}={value}");
                }
            }

            if (exception is not null)
            {
                text.Append(" | ").Append(exception);
            }

            entries.Enqueue(new CapturedEntry(category, logLevel, eventId, text.ToString()));
        }
    }
}
