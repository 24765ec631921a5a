using System.Collections.Concurrent;
using Engine.SystemProcs;
using Engine.Workers.Loading;
using Engine.Workers.Supervision;
using Microsoft.Extensions.Logging;

namespace Engine.Workers.DropIn;

/// <summary>
/// Watches the processors directory. A DLL whose processor classes carry
/// <see cref="SystemProcAttribute"/> registers their system procs; a replaced DLL updates them
/// (and workers load the new file for their next batch); a removed DLL stops them. A DLL that
/// cannot be loaded is reported with the reason and changes nothing else. Events for a file are
/// debounced, so a DLL still being copied is read once it is complete.
/// </summary>
internal sealed class DropInWatcher : IAsyncDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private readonly WorkerRuntime _runtime;
    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly FileSystemWatcher _watcher;
    private readonly ConcurrentDictionary<string, long> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public DropInWatcher(WorkerRuntime runtime, string directory, ILogger logger)
    {
        _runtime = runtime;
        _directory = directory;
        _logger = logger;
        Directory.CreateDirectory(directory);
        _watcher = new FileSystemWatcher(directory, "*.dll")
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            IncludeSubdirectories = false,
        };
        _watcher.Created += (_, e) => Changed(e.FullPath);
        _watcher.Changed += (_, e) => Changed(e.FullPath);
        _watcher.Deleted += (_, e) => Changed(e.FullPath);
        _watcher.Renamed += (_, e) =>
        {
            Changed(e.OldFullPath);
            Changed(e.FullPath);
        };
        _watcher.EnableRaisingEvents = true;
        foreach (var dll in Directory.EnumerateFiles(directory, "*.dll")) Changed(dll);
        foreach (var known in DropInPaths()) Changed(known); // registered earlier; the file may be gone
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Raised after a file's change has been handled (registered, updated, removed or reported).</summary>
    public event Action<string>? Synced;

    /// <summary>Load failures by file, for whoever asks why a DLL did nothing.</summary>
    public ConcurrentDictionary<string, string> Failures { get; } = new(StringComparer.Ordinal);

    private void Changed(string path)
    {
        if (!path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) return;
        _pending[path] = Environment.TickCount64;
        _wake.Release();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_stop.Token);
                while (!_pending.IsEmpty)
                {
                    var now = Environment.TickCount64;
                    var due = _pending.Where(p => now - p.Value >= Quiet.TotalMilliseconds).Select(p => p.Key).ToList();
                    foreach (var path in due)
                    {
                        if (_pending.TryGetValue(path, out var at) && now - at >= Quiet.TotalMilliseconds && _pending.TryRemove(new(path, at)))
                        {
                            await SyncAsync(path);
                            Synced?.Invoke(path);
                        }
                    }
                    if (!_pending.IsEmpty) await Task.Delay(Quiet / 3, _stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (LogEngineException e) when (e.Code == LogEngineError.Closed)
            {
                return;
            }
        }
    }

    private async Task SyncAsync(string path)
    {
        var registered = _runtime.Engine.DropInRegistrations()
            .Where(r => ProcessorSpec.Parse(r.Options.Processor!, null).Path == path)
            .ToDictionary(r => r.Name, StringComparer.Ordinal);
        var wanted = new Dictionary<string, SystemProcOptions>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            try
            {
                foreach (var (type, attribute) in ProcessorLoader.Inspect(path))
                {
                    if (attribute is null) continue;
                    wanted[attribute.Name] = Options(attribute, $"{path}:{type}");
                }
                Failures.TryRemove(path, out _);
            }
            catch (LogEngineException e)
            {
                Failures[path] = e.Message;
                _logger.ProcessorDllNotLoaded(path, e.Message);
                return; // a broken file changes nothing: its system procs (if any) keep their last good version
            }
        }
        _runtime.Stamps.Invalidate(path);
        foreach (var (name, options) in wanted)
        {
            var registration = new SystemProcRegistration(options, DropIn: true);
            if (registered.TryGetValue(name, out var current) && current.Encode().AsSpan().SequenceEqual(registration.Encode())) continue;
            try
            {
                await _runtime.Engine.RegisterDropInAsync(registration);
                _logger.DropInRegistered(name, Path.GetFileName(path));
            }
            catch (LogEngineException e) when (e.Code is not LogEngineError.Closed)
            {
                Failures[path] = e.Message;
                _logger.DropInNotRegistered(name, path, e.Message);
            }
        }
        foreach (var name in registered.Keys.Where(n => !wanted.ContainsKey(n)))
        {
            await _runtime.Engine.UnregisterDropInAsync(name);
            _logger.DropInRemoved(name, Path.GetFileName(path));
        }
    }

    private IEnumerable<string> DropInPaths() =>
        _runtime.Engine.DropInRegistrations().Select(r => ProcessorSpec.Parse(r.Options.Processor!, null).Path)
            .Where(p => string.Equals(Path.GetDirectoryName(p), _directory, StringComparison.Ordinal)).Distinct();

    private static SystemProcOptions Options(SystemProcAttribute attribute, string processor) => new()
    {
        Name = attribute.Name,
        From = attribute.From,
        To = attribute.To,
        Offset = attribute.Offset,
        Count = attribute.Count,
        MaxReclaims = attribute.MaxReclaims,
        ReclaimTimeout = TimeSpan.FromMilliseconds(attribute.ReclaimTimeoutMs),
        OnMaxReclaimsReached = attribute.OnMaxReclaimsReached,
        DeadLetterTopic = attribute.DeadLetterTopic,
        Processor = processor,
    };

    public async ValueTask DisposeAsync()
    {
        _watcher.Dispose();
        await _stop.CancelAsync();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
        _wake.Dispose();
    }
}
