using System.Threading.Tasks.Sources;
using Microsoft.Extensions.ObjectPool;

namespace Engine.Combining;

/// <summary>
/// A single-record commit waiting for whoever next holds the write lock to write it together
/// with the others waiting (<see cref="CommitQueue"/>). Pooled, and awaited exactly once: the
/// <see cref="ValueTask{TResult}"/> it hands out returns it to its pool when its result is read.
/// </summary>
internal sealed class PendingCommit : IValueTaskSource<Store.CommitReceipt>
{
    // Asynchronous continuations: completing happens under the write lock or right after it, and a
    // caller's continuation (often its next commit) must not run inside the combiner's loop.
    private ManualResetValueTaskSourceCore<Store.CommitReceipt> _core = new() { RunContinuationsAsynchronously = true };
    private ObjectPool<PendingCommit>? _pool;

    /// <summary>The next commit in the queue (a link of <see cref="CommitQueue"/>).</summary>
    public PendingCommit? Next { get; set; }

    public string Topic { get; private set; } = "";

    public ReadOnlyMemory<byte> Body { get; private set; }

    /// <summary>Fills a pooled instance for one commit.</summary>
    public ValueTask<Store.CommitReceipt> Start(ObjectPool<PendingCommit> pool, string topic, ReadOnlyMemory<byte> body)
    {
        _pool = pool;
        Topic = topic;
        Body = body;
        return new ValueTask<Store.CommitReceipt>(this, _core.Version);
    }

    private Store.CommitReceipt _receipt;
    private Exception? _error;

    /// <summary>Notes how the commit went (under the write lock); <see cref="Publish"/> tells the caller, after the lock.</summary>
    public void Resolve(Store.CommitReceipt receipt) => _receipt = receipt;

    /// <inheritdoc cref="Resolve(Store.CommitReceipt)"/>
    public void Resolve(Exception error) => _error = error;

    /// <summary>Completes the caller's task with what <see cref="Resolve(Store.CommitReceipt)"/> noted.</summary>
    public void Publish()
    {
        if (_error is { } error)
        {
            _error = null;
            _core.SetException(error);
        }
        else _core.SetResult(_receipt);
    }

    public Store.CommitReceipt GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            // The caller's body is not held past its commit, and the instance goes back for reuse.
            Body = default;
            Topic = "";
            Next = null;
            var pool = _pool;
            _pool = null;
            _core.Reset();
            pool?.Return(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
