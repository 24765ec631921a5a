using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;

namespace Engine.Ipc.Protocol;

/// <summary>
/// Sends frames from any number of threads down one connection. Whoever finds no send in
/// progress becomes the sender: it copies every queued frame into the pipe and flushes once, so
/// frames that pile up while a flush is in flight go out together in one write. Bytes queued
/// beyond <c>maxQueuedBytes</c> (a peer that stopped reading) fail the connection instead of
/// growing without bound.
/// </summary>
internal sealed class FrameSender(PipeWriter output, long maxQueuedBytes)
{
    private readonly ConcurrentQueue<FrameBuffer> _queue = new();
    private int _sending;
    private long _queuedBytes;
    private volatile Exception? _failure;

    /// <summary>Set when sending failed: the peer is gone or too slow.</summary>
    public Exception? Failure => _failure;

    /// <summary>Queues a frame and sends everything queued, unless a send is already in progress (which will).</summary>
    public ValueTask SendAsync(FrameBuffer frame) => Enqueue(frame) ? FlushAsync() : ValueTask.FromException(_failure!);

    /// <summary>Queues a frame without sending it yet: a read loop queues the answers of a whole batch, then flushes once.</summary>
    public bool Enqueue(FrameBuffer frame)
    {
        if (_failure is not null)
        {
            frame.Return();
            return false;
        }
        if (Interlocked.Add(ref _queuedBytes, frame.Written.Length) > maxQueuedBytes)
        {
            frame.Return();
            Fail(new IOException($"more than {maxQueuedBytes} bytes are waiting to be sent: the peer is not reading"));
            return false;
        }
        _queue.Enqueue(frame);
        return true;
    }

    /// <summary>Sends what is queued, unless a send is already in progress (which will pick it up).</summary>
    public ValueTask FlushAsync()
    {
        if (_failure is { } failure) return ValueTask.FromException(failure);
        if (_queue.IsEmpty || Interlocked.CompareExchange(ref _sending, 1, 0) != 0) return ValueTask.CompletedTask;
        return DrainAsync();
    }

    /// <summary>
    /// Queues a frame and sends it from the thread pool shortly, with whatever else is queued by
    /// then. For a caller among many in flight: the answers to a batch of requests wake their
    /// callers together, and each would otherwise write its next request alone. Sending is
    /// deferred only by one trip through the pool's queue, behind those callers' continuations.
    /// </summary>
    public void SendSoon(FrameBuffer frame, Action<Exception> onFailure)
    {
        if (!Enqueue(frame))
        {
            onFailure(_failure!);
            return;
        }
        if (Interlocked.CompareExchange(ref _sending, 1, 0) != 0) return; // a drain in progress takes it
        ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Sender.DrainSoonAsync(state.OnFailure), (Sender: this, OnFailure: onFailure), preferLocal: false);
    }

    private async Task DrainSoonAsync(Action<Exception> onFailure)
    {
        try
        {
            await DrainAsync();
        }
        catch (Exception e)
        {
            onFailure(e); // nobody awaits this send: the connection learns of the failure here
        }
    }

    private async ValueTask DrainAsync()
    {
        try
        {
            while (true)
            {
                while (_queue.TryDequeue(out var frame))
                {
                    output.Write(frame.Written);
                    Interlocked.Add(ref _queuedBytes, -frame.Written.Length);
                    frame.Return();
                }
                var result = await output.FlushAsync();
                if (result.IsCompleted || result.IsCanceled) throw new IOException("the connection is closed");
                Volatile.Write(ref _sending, 0);
                // A frame queued after the last dequeue but before the reset would be stranded.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _sending, 1, 0) != 0) return;
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            Fail(e as IOException ?? new IOException("sending failed", e));
            throw _failure!;
        }
    }

    public void Fail(Exception reason)
    {
        _failure ??= reason;
        while (_queue.TryDequeue(out var frame)) frame.Return();
    }
}
