using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using Engine.Ipc.Protocol;
using Engine.Ipc.Transport;
using Engine.Telemetry;

namespace Engine.Ipc.Client;

/// <summary>
/// A client's connection to a host. Any number of calls may be in flight (pipelining): each gets
/// a request id and waits for the response with that id, in whatever order they come. A read loop
/// takes responses off the input; heartbeats keep an idle connection alive and find a host that
/// stopped answering. When the connection fails, every call in flight fails with
/// <see cref="LogEngineError.ConnectionFailed"/>, and so does every later call.
/// </summary>
internal sealed class ClientConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly FrameSender _sender;
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<IncomingFrame>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TimeSpan _heartbeat;
    private readonly TimeProvider _time;
    private readonly int _maxFrame;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _readLoop = Task.CompletedTask;
    private Task _heartbeatLoop = Task.CompletedTask;
    private uint _nextId;
    private int _callsInFlight;

    /// <summary>When the host was last heard from (a timestamp of <see cref="_time"/>).</summary>
    private long _lastReceived;
    private volatile LogEngineException? _failure;

    /// <summary>What the host announced it understands (<see cref="Wire.HostFeatures"/>); 0 for a host older than the field.</summary>
    private uint _hostFeatures;

    private ClientConnection(Stream stream, TimeSpan heartbeat, TimeProvider time, int maxFrame, string display)
    {
        _stream = stream;
        _heartbeat = heartbeat;
        _time = time;
        _lastReceived = time.GetTimestamp();
        _maxFrame = maxFrame;
        Display = display;
        _input = ReaderThread.Start(stream, "engine-client-reader"); // the stream is a blocking one: see Dialer
        var output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
        _sender = new FrameSender(output, long.MaxValue);
    }

    public string Display { get; }

    /// <summary>Whether the host announced <paramref name="feature"/> (a bit of <see cref="Wire.HostFeatures"/>).</summary>
    public bool HostHas(uint feature) => (_hostFeatures & feature) != 0;

    /// <summary>Completes when the host has closed the connection (or it failed).</summary>
    public Task Closed => _closed.Task;

    /// <summary>
    /// Connects and shakes hands within <paramref name="timeout"/>; heartbeats then go out every
    /// <paramref name="heartbeat"/>. Both are measured on <paramref name="time"/>.
    /// </summary>
    public static async Task<ClientConnection> OpenAsync(Endpoint endpoint, TlsSettings tls, string? token, TimeSpan timeout, TimeSpan heartbeat,
        TimeProvider time, CancellationToken ct)
    {
        var stream = await Dialer.ConnectAsync(endpoint, tls, timeout, time, ct);
        var connection = new ClientConnection(stream, heartbeat, time, Wire.DefaultMaxFrame, endpoint.Display);
        try
        {
            await connection.HandshakeAsync(token, timeout, ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        connection._readLoop = Task.Run(connection.ReadLoopAsync);
        // The heartbeat's timer is running when the connection is handed out (not whenever the loop
        // gets a thread), so its beats count from the moment connecting ended.
        var timer = new PeriodicTimer(heartbeat, time);
        connection._heartbeatLoop = Task.Run(() => connection.HeartbeatLoopAsync(timer));
        return connection;
    }

    private async Task HandshakeAsync(string? token, TimeSpan timeout, CancellationToken ct)
    {
        var hello = FrameBuffer.Start(FrameKind.Hello, 0);
        hello.Writer.Bytes(Wire.Magic);
        hello.Writer.U16(Wire.ProtocolVersion);
        hello.Writer.String(token);
        using var limit = new CancellationTokenSource(timeout, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
        IncomingFrame welcome;
        try
        {
            await _sender.SendAsync(hello.Finish());
            while (true)
            {
                var read = await _input.ReadAsync(deadline.Token);
                var buffer = read.Buffer;
                if (FrameParser.TryRead(ref buffer, _maxFrame, out welcome))
                {
                    _input.AdvanceTo(buffer.Start);
                    break;
                }
                if (read.IsCompleted) throw new IOException("the host closed the connection during the handshake");
                _input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (Exception e) when ((e is OperationCanceledException && !ct.IsCancellationRequested) || e is IOException or WireFormatException)
        {
            throw new LogEngineException(LogEngineError.ConnectionFailed, $"no handshake with {Display}: {e.Message}", e);
        }
        var reply = new WireReader(welcome.Memory);
        var status = (WelcomeStatus)reply.U8();
        reply.U16();
        var message = reply.String();
        _hostFeatures = reply.AtEnd ? 0 : reply.U32();
        if (status == WelcomeStatus.Unauthorized) throw new LogEngineException(LogEngineError.Unauthorized, $"{Display} refused the connection: {message}");
        if (status != WelcomeStatus.Accepted) throw new LogEngineException(LogEngineError.ConnectionFailed, $"{Display} refused the connection: {message}");
    }

    /// <summary>
    /// Starts a request frame; the caller writes the arguments and passes it to <see cref="CallAsync"/>.
    /// When someone listens, the request gets a client span, and a host that accepts trace context
    /// gets it as a traced request, so that its server span is the client span's child.
    /// </summary>
    public FrameBuffer StartRequest(Op op, out uint requestId)
    {
        requestId = Interlocked.Increment(ref _nextId);
        var span = EngineActivities.Source.HasListeners() ? StartClientSpan(op) : null;
        var traced = span is not null && (_hostFeatures & Wire.FeatureTraceContext) != 0 && WireTraceContext.CanCarry(span);
        var frame = FrameBuffer.Start(traced ? FrameKind.TracedRequest : FrameKind.Request, requestId);
        if (traced) WireTraceContext.Write(frame.Writer, span!);
        frame.Writer.U16((ushort)op);
        frame.Span = span;
        return frame;
    }

    /// <summary>
    /// The client span of one request. It is not left as the caller's current activity: it ends in
    /// <see cref="CallAsync"/>, and whatever the caller starts after this call is not its child.
    /// </summary>
    private Activity? StartClientSpan(Op op)
    {
        var previous = Activity.Current;
        var span = EngineActivities.Source.StartActivity($"engine.ipc {op}", ActivityKind.Client);
        Activity.Current = previous;
        span?.SetTag("rpc.method", op.ToString());
        span?.SetTag("server.address", Display);
        return span;
    }

    /// <summary>
    /// Sends a request and waits for its answer, returning a reader positioned at the result.
    /// Cancelling stops waiting; a wait the host is keeping (<paramref name="cancellable"/>) is also
    /// cancelled on the host. The request's client span, if any, ends with the answer.
    /// </summary>
    public ValueTask<WireReader> CallAsync(FrameBuffer request, uint requestId, CancellationToken ct, bool cancellable = false,
        Action<WireReader>? abandonedResult = null)
    {
        if (request.Span is not { } span) return CallUntracedAsync(request, requestId, ct, cancellable, abandonedResult);
        request.Span = null;
        return CallTracedAsync(span, request, requestId, ct, cancellable, abandonedResult);
    }

    private async ValueTask<WireReader> CallTracedAsync(Activity span, FrameBuffer request, uint requestId, CancellationToken ct, bool cancellable,
        Action<WireReader>? abandonedResult)
    {
        WireReader result;
        try
        {
            result = await CallUntracedAsync(request, requestId, ct, cancellable, abandonedResult);
        }
        catch (Exception e)
        {
            EngineActivities.Fail(span, e);
            throw;
        }
        span.Dispose();
        return result;
    }

    private async ValueTask<WireReader> CallUntracedAsync(FrameBuffer request, uint requestId, CancellationToken ct, bool cancellable,
        Action<WireReader>? abandonedResult)
    {
        if (_failure is { } failure)
        {
            request.Return();
            throw failure;
        }
        var answer = new TaskCompletionSource<IncomingFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[requestId] = answer;
        if (_failure is { } lost) Fail(lost); // lost a race with the failure: do not strand this call
        var othersInFlight = Interlocked.Increment(ref _callsInFlight) > 1;
        try
        {
            // Alone, a call writes its request at once (a round trip is all it waits for); among
            // others in flight, its request goes out with theirs in one write.
            if (othersInFlight) _sender.SendSoon(request.Finish(), e => Fail(Lost(e.Message)));
            else await _sender.SendAsync(request.Finish());
        }
        catch (IOException e)
        {
            Fail(Lost(e.Message));
        }
        try
        {
            return await AnswerAsync(answer, requestId, ct, cancellable, abandonedResult);
        }
        finally
        {
            Interlocked.Decrement(ref _callsInFlight);
        }
    }

    private async ValueTask<WireReader> AnswerAsync(TaskCompletionSource<IncomingFrame> answer, uint requestId, CancellationToken ct, bool cancellable,
        Action<WireReader>? abandonedResult)
    {
        IncomingFrame response;
        if (!ct.CanBeCanceled)
        {
            response = await answer.Task;
        }
        else
        {
            try
            {
                response = await answer.Task.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                _pending.TryRemove(requestId, out _);
                if (abandonedResult is not null)
                {
                    // The host may have finished the request just as it was cancelled: a result
                    // nobody receives (a claim) must still be undone.
                    _ = answer.Task.ContinueWith(late =>
                    {
                        if (!late.IsCompletedSuccessfully) return;
                        var reader = new WireReader(late.Result.Memory);
                        if (reader.U8() == 0) abandonedResult(reader);
                    }, TaskScheduler.Default);
                    _pending[requestId] = answer;
                }
                if (cancellable) _ = SendQuietlyAsync(FrameBuffer.Start(FrameKind.Cancel, requestId).Finish());
                throw;
            }
        }
        var reader = new WireReader(response.Memory);
        if (reader.U8() == 0) return reader;
        var code = (LogEngineError)reader.U8();
        throw new LogEngineException(code, reader.String());
    }

    /// <summary>Throws if the connection has failed or been closed.</summary>
    public void ThrowIfUnusable()
    {
        if (_failure is { } failure) throw failure;
    }

    /// <summary>Sends a request whose answer nobody waits for.</summary>
    public void Post(FrameBuffer request, uint requestId)
    {
        request.Span?.Dispose(); // nothing to wait for: the span ends as the request leaves
        request.Span = null;
        _pending[requestId] = new TaskCompletionSource<IncomingFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = SendQuietlyAsync(request.Finish());
    }

    private async Task SendQuietlyAsync(FrameBuffer frame)
    {
        try
        {
            await _sender.SendAsync(frame);
        }
        catch (IOException e)
        {
            Fail(Lost(e.Message));
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var read = await _input.ReadAsync(_closing.Token);
                var buffer = read.Buffer;
                if (buffer.Length > 0) Interlocked.Exchange(ref _lastReceived, _time.GetTimestamp());
                while (FrameParser.TryRead(ref buffer, _maxFrame, out var frame))
                {
                    if (frame.Kind == FrameKind.Response)
                    {
                        if (_pending.TryRemove(frame.RequestId, out var answer)) answer.TrySetResult(frame);
                    }
                    else if (frame.Kind != FrameKind.Pong)
                    {
                        throw new WireFormatException($"a host does not send {frame.Kind} frames");
                    }
                }
                _input.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted || read.IsCanceled) break;
            }
            Fail(_closing.IsCancellationRequested ? ClosedError() : _failure ?? Lost("the host closed the connection"));
        }
        catch (Exception e) when (e is IOException or WireFormatException or FrameTooLargeException or OperationCanceledException or ObjectDisposedException)
        {
            Fail(_closing.IsCancellationRequested ? ClosedError() : Lost(e.Message));
        }
        finally
        {
            _closed.TrySetResult();
        }
    }

    /// <summary>Beats on <paramref name="timer"/>, which it owns, until the connection closes or the host is found silent.</summary>
    private async Task HeartbeatLoopAsync(PeriodicTimer timer)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(_closing.Token))
            {
                var silent = _time.GetElapsedTime(Interlocked.Read(ref _lastReceived));
                if (silent > 3 * _heartbeat)
                {
                    Fail(Lost($"the host has not answered for {(long)silent.TotalMilliseconds} ms"));
                    _input.CancelPendingRead();
                    await _stream.DisposeAsync(); // frees a call blocked writing to a host that stopped reading
                    return;
                }
                await SendQuietlyAsync(FrameBuffer.Start(FrameKind.Ping, 0).Finish());
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            timer.Dispose();
        }
    }

    private void Fail(LogEngineException failure)
    {
        _failure ??= failure;
        _sender.Fail(new IOException(failure.Message));
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var answer)) answer.TrySetException(_failure);
        }
    }

    private LogEngineException Lost(string why) =>
        new(LogEngineError.ConnectionFailed, $"the connection to {Display} was lost: {why}");

    private static LogEngineException ClosedError() => new(LogEngineError.Closed, "the client is closed");

    public async ValueTask DisposeAsync()
    {
        if (_closing.IsCancellationRequested) return;
        Fail(ClosedError());
        await _closing.CancelAsync();
        _input.CancelPendingRead();
        await Task.WhenAll(_readLoop, _heartbeatLoop).ContinueWith(_ => { }, TaskScheduler.Default);
        await _input.CompleteAsync();
        await _stream.DisposeAsync();
        _closing.Dispose();
    }
}
