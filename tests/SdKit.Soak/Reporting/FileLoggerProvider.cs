using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace SdKit.Soak.Reporting;

/// <summary>
/// Writes every SdKit log line of the run to one file with a UTC timestamp, and counts warnings and errors by
/// category so the summary can say which background loops complained and how often.
/// </summary>
internal sealed class FileLoggerProvider : ILoggerProvider
{
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();
    private readonly LogLevel _minimum;

    public FileLoggerProvider(string path, LogLevel minimum)
    {
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        _minimum = minimum;
    }

    public ConcurrentDictionary<string, int> ErrorsByCategory { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> WarningsByCategory { get; } = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Write(string line)
    {
        lock (_lock)
        {
            _writer.WriteLine(line);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer.Dispose();
        }
    }

    private sealed class FileLogger(FileLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                owner.ErrorsByCategory.AddOrUpdate(category, 1, (_, n) => n + 1);
            }
            else if (logLevel == LogLevel.Warning)
            {
                owner.WarningsByCategory.AddOrUpdate(category, 1, (_, n) => n + 1);
            }

            if (!IsEnabled(logLevel))
            {
                return;
            }

            var error = exception is null ? string.Empty : $" | {exception.GetType().Name}: {exception.Message}";
            owner.Write(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} {category}: {formatter(state, exception)}{error}"));
        }
    }
}
