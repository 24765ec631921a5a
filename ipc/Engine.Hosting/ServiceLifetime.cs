using Microsoft.Extensions.Hosting;

namespace Engine.Hosting;

/// <summary>
/// One engine, client or host for the app's lifetime: opened when the app starts, or earlier if a
/// service's constructor asks for it (hosted services are all constructed before any starts), and
/// disposed when the app stops; hosted services stop in reverse order, so services registered
/// after this one are done with it by then. Disposing twice is harmless (the container disposes
/// what it handed out after the app stopped).
/// </summary>
internal abstract class ServiceLifetime<TResource> : IHostedService, IAsyncDisposable
    where TResource : class, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TResource? _resource;
    private bool _stopped;

    /// <summary>The resource, opened now (blocking) if the app has not started yet.</summary>
    public TResource Resource => Volatile.Read(ref _resource) ?? GetAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public async Task StartAsync(CancellationToken cancellationToken) => await GetAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _stopped = true;
            if (Interlocked.Exchange(ref _resource, null) is { } resource) await resource.DisposeAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    protected abstract ValueTask<TResource> OpenAsync(CancellationToken ct);

    private async ValueTask<TResource> GetAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_resource is { } open) return open;
            var opened = await OpenAsync(ct);
            Volatile.Write(ref _resource, opened);
            return opened;
        }
        finally
        {
            _gate.Release();
        }
    }
}
