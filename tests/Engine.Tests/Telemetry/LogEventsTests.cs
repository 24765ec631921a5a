using System.Collections.Concurrent;
using Engine.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Engine.Tests.Telemetry;

/// <summary>
/// The engine logs through source-generated messages: each line has an event id and a name, and a
/// line whose level is off never reaches the logger (nothing is formatted or allocated for it).
/// </summary>
public sealed class LogEventsTests
{
    [Fact]
    public async Task Opening_a_store_logs_a_line_with_its_event_id_and_name()
    {
        var loggers = new RecordingLoggerFactory(enabled: true);
        using var dir = new TempDirectory();
        await using (var engine = LogEngine.Open(dir.Path, new LogEngineOptions { Workers = 0, LoggerFactory = loggers }))
            await engine.CommitAsync("t", "x"u8.ToArray());

        var opened = Assert.Single(loggers.Lines, l => l.Message.StartsWith("Opened store", StringComparison.Ordinal));
        Assert.Equal((1001, "StoreOpened"), (opened.Event.Id, opened.Event.Name));
    }

    [Fact]
    public async Task A_line_whose_level_is_off_never_reaches_the_logger()
    {
        var loggers = new RecordingLoggerFactory(enabled: false);
        using var dir = new TempDirectory();
        await using (var engine = LogEngine.Open(dir.Path, new LogEngineOptions { Workers = 0, LoggerFactory = loggers }))
            await engine.CommitAsync("t", "x"u8.ToArray());

        Assert.True(loggers.Asked > 0, "the engine never asked whether a level was on");
        Assert.Empty(loggers.Lines);
    }

    private sealed class RecordingLoggerFactory(bool enabled) : ILoggerFactory, ILogger
    {
        private readonly ConcurrentQueue<(EventId Event, string Message)> _lines = new();
        private int _asked;

        public IReadOnlyList<(EventId Event, string Message)> Lines => [.. _lines];

        public int Asked => Volatile.Read(ref _asked);

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public bool IsEnabled(LogLevel logLevel)
        {
            Interlocked.Increment(ref _asked);
            return enabled;
        }

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue((eventId, formatter(state, exception)));

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public void Dispose()
        {
        }
    }
}
