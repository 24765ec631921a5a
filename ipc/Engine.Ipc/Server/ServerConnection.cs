using System.Collections.Concurrent;
using System.IO.Pipelines;
using Engine.Ipc.Protocol;
using Microsoft.Extensions.Logging;

namespace Engine.Ipc.Server;

/// <summary>
/// One client connection on the host: the handshake, then a loop that takes frames off the
/// input. Requests that complete at once are answered in the same pass and flushed together once
/// the input has no more whole frames; requests that wait (durable commits, live proc claims,
/// WaitForProcs) are answered whenever they finish, out of order. A protocol error, an oversized
/// frame or a client that stops reading closes this connection only; a request whose payload does
/// not decode is answered with InvalidArgument first, so the client learns why.
/// </summary>
internal sealed class ServerConnection : IAsyncDisposable, IConnection
{
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly FrameSender _sender;
    private readonly HostServerOptions _options;
    private readonly IRequestHandler _dispatcher;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing = new();
    private readonly ConcurrentDictionary<uint, CancellationTokenSource> _waits = new();
    private readonly SemaphoreSlim _pendingSlots;
    private int _pending;
    private long _lastReceived;

    public ServerConnection(Stream stream, HostServerOptions options, IRequestHandler dispatcher, ILogger logger, string peer)
    {
        _stream = stream;
        _options = options;
        _dispatcher = dispatcher;
        _logger = logger;
        Peer = peer;
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096, leaveOpen: true));
        _output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
        _sender = new FrameSender(_output, options.MaxQueuedBytesPerClient);
        _pendingSlots = new SemaphoreSlim(options.MaxPendingRequestsPerClient);
        _lastReceived = options.Time.GetTimestamp();
    }

    public string Peer { get; }

    public CancellationToken Closed => _closing.Token;

    /// <summary>Milliseconds since anything arrived from the client.</summary>
    public long SilentForMs => (long)_options.Time.GetElapsedTime(Interlocked.Read(ref _lastReceived)).TotalMilliseconds;

    public int PendingRequests => Volatile.Read(ref _pending);

    public async Task RunAsync()
    {
        try
        {
            if (!await HandshakeAsync()) return;
            await ReadLoopAsync();
        }
        catch (Exception e) when (e is WireFormatException or FrameTooLargeException)
        {
            _logger.ClosingConnection(Peer, e.Message);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            _logger.ConnectionEnded(Peer, e.Message);
        }
        finally
        {
            await CloseAsync();
        }
    }

    /// <summary>Drops the connection (dead peer, slow peer, shutdown).</summary>
    public void Abort(string reason)
    {
        if (_closing.IsCancellationRequested) return;
        _logger.ClosingConnection(Peer, reason);
        _sender.Fail(new IOException(reason));
        try
        {
            _closing.Cancel();
            _input.CancelPendingRead();
        }
        catch (ObjectDisposedException)
        {
            // The connection ended on its own since the check above (its client left) and has
            // been disposed: there is nothing left to abort. The shutdown and the reaper call
            // this for connections that may be ending at the same moment.
        }
    }

    /// <summary>Ends every wait (live proc claims, WaitForProcs): the host is going away.</summary>
    public void CancelWaits()
    {
        foreach (var wait in _waits.Values) TryCancel(wait);
    }

    /// <summary>A wait may finish (and dispose its source) while being cancelled: then there is nothing to cancel.</summary>
    private static void TryCancel(CancellationTokenSource wait)
    {
        try
        {
            wait.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task<bool> HandshakeAsync()
    {
        using var timeout = new CancellationTokenSource(_options.HandshakeTimeout, _options.Time);
        using var closing = _closing.Token.Register(timeout.Cancel);
        IncomingFrame hello;
        while (true)
        {
            var read = await _input.ReadAsync(timeout.Token);
            var buffer = read.Buffer;
            if (FrameParser.TryRead(ref buffer, Math.Min(_options.MaxFrameSize, 4096), out hello))
            {
                Interlocked.Exchange(ref _lastReceived, _options.Time.GetTimestamp()); // the hello counts as a sign of life
                _input.AdvanceTo(buffer.Start);
                break;
            }
            if (read.IsCompleted) return false;
            _input.AdvanceTo(buffer.Start, buffer.End);
        }
        if (hello.Kind != FrameKind.Hello) throw new WireFormatException($"expected a hello, got {hello.Kind}");
        var args = new WireReader(hello.Memory);
        var magic = args.Bytes();
        var version = args.U16();
        var token = args.NullableString();
        var (status, message) =
            !magic.Span.SequenceEqual(Wire.Magic) ? (WelcomeStatus.VersionMismatch, "not an Engine client")
            : version != Wire.ProtocolVersion ? (WelcomeStatus.VersionMismatch, $"protocol version {version} is not {Wire.ProtocolVersion}")
            : !TokenMatches(token) ? (WelcomeStatus.Unauthorized, "wrong or missing token")
            : (WelcomeStatus.Accepted, "");
        var welcome = FrameBuffer.Start(FrameKind.Welcome, 0);
        welcome.Writer.U8((byte)status);
        welcome.Writer.U16(Wire.ProtocolVersion);
        welcome.Writer.String(message);
        welcome.Writer.U32(Wire.HostFeatures); // after the message: a version 1 client reads no further
        await _sender.SendAsync(welcome.Finish());
        if (status == WelcomeStatus.Accepted) return true;
        _logger.RefusedConnection(Peer, message);
        return false;
    }

    private bool TokenMatches(string? token)
    {
        if (_options.Token is null) return true;
        if (token is null) return false;
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(token), System.Text.Encoding.UTF8.GetBytes(_options.Token));
    }

    private async Task ReadLoopAsync()
    {
        while (true)
        {
            var read = await _input.ReadAsync(_closing.Token);
            var buffer = read.Buffer;
            if (buffer.Length > 0) Interlocked.Exchange(ref _lastReceived, _options.Time.GetTimestamp());
            try
            {
                while (FrameParser.TryRead(ref buffer, _options.MaxFrameSize, out var frame))
                    await OnFrameAsync(frame);
            }
            finally
            {
                if (!_closing.IsCancellationRequested) _input.AdvanceTo(buffer.Start, buffer.End);
            }
            await _sender.FlushAsync(); // every answer of this batch in one write
            if (read.IsCompleted || read.IsCanceled) return;
        }
    }

    private async ValueTask OnFrameAsync(IncomingFrame frame)
    {
        switch (frame.Kind)
        {
            case FrameKind.Request:
                await StartRequestAsync(frame, traced: false);
                break;
            case FrameKind.TracedRequest:
                await StartRequestAsync(frame, traced: true);
                break;
            case FrameKind.Ping:
                _sender.Enqueue(FrameBuffer.Start(FrameKind.Pong, frame.RequestId).Finish());
                break;
            case FrameKind.Cancel:
                if (_waits.TryGetValue(frame.RequestId, out var wait)) TryCancel(wait);
                break;
            default:
                throw new WireFormatException($"a client does not send {frame.Kind} frames");
        }
    }

    private async ValueTask StartRequestAsync(IncomingFrame frame, bool traced)
    {
        var args = new WireReader(frame.Memory);
        var caller = traced ? WireTraceContext.Read(args) : default;
        var payload = args.Rest; // op and arguments, as in an untraced request
        var op = (Op)args.U16();
        if (!_pendingSlots.Wait(0)) await _pendingSlots.WaitAsync(_closing.Token); // too much in progress: stop reading
        Interlocked.Increment(ref _pending);
        CancellationTokenSource? wait = null;
        if (_dispatcher.IsWait(op))
        {
            wait = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
            _waits[frame.RequestId] = wait;
        }
        var response = FrameBuffer.Start(FrameKind.Response, frame.RequestId);
        response.Writer.U8(0);
        ValueTask handling;
        try
        {
            var token = wait?.Token ?? _closing.Token;
            handling = _dispatcher.IsLarge(op, payload)
                ? new ValueTask(Task.Run(async () => await _dispatcher.HandleAsync(op, args, response.Writer, this, caller, token), token))
                : _dispatcher.HandleAsync(op, args, response.Writer, this, caller, token);
        }
        catch (Exception e)
        {
            handling = ValueTask.FromException(e);
        }
        if (handling.IsCompleted)
        {
            // Answered (the client learns which request was malformed), then the connection
            // closes: a peer that sends undecodable requests cannot be trusted to frame the next.
            if (Finish(handling, response, frame.RequestId, wait, inline: true) is WireFormatException malformed) throw malformed;
        }
        else _ = FinishLaterAsync(handling, response, frame.RequestId, wait);
    }

    private async Task FinishLaterAsync(ValueTask handling, FrameBuffer response, uint requestId, CancellationTokenSource? wait)
    {
        try
        {
            await handling;
        }
        catch
        {
            // inspected by Finish
        }
        Finish(handling, response, requestId, wait, inline: false);
    }

    /// <summary>Answers a request that has ended; returns why it failed, if it did.</summary>
    private Exception? Finish(ValueTask handling, FrameBuffer response, uint requestId, CancellationTokenSource? wait, bool inline)
    {
        if (wait is not null)
        {
            _waits.TryRemove(requestId, out _);
            wait.Dispose();
        }
        var frame = response;
        var failure = handling.IsCompletedSuccessfully ? OversizedAnswer(response) : Failure(handling);
        if (failure is not null)
        {
            response.Return();
            frame = ErrorFrame(requestId, failure);
        }
        Interlocked.Decrement(ref _pending);
        _pendingSlots.Release();
        if (inline)
        {
            _sender.Enqueue(frame.Finish());
            return failure;
        }
        _ = SendQuietlyAsync(frame.Finish(), closeAfter: (failure as WireFormatException)?.Message);
        return failure;
    }

    private async Task SendQuietlyAsync(FrameBuffer frame, string? closeAfter = null)
    {
        try
        {
            await _sender.SendAsync(frame);
        }
        catch (IOException e)
        {
            Abort(e.Message);
        }
        if (closeAfter is not null) Abort(closeAfter);
    }

    /// <summary>
    /// An answer larger than a client accepts in one frame would make the client drop the
    /// connection, and with it every other call in flight on it: the request fails instead, saying
    /// how to read it (a host whose MaxRangeBytes is raised past the frame limit can build one).
    /// </summary>
    private static LogEngineException? OversizedAnswer(FrameBuffer response)
    {
        var length = response.Written.Length - Wire.LengthPrefix;
        return length <= Wire.DefaultMaxFrame ? null : new LogEngineException(LogEngineError.InvalidArgument,
            $"the answer is {length} bytes, over the {Wire.DefaultMaxFrame}-byte frame a client accepts; read it in pages (RangeOptions.Limit and Start)");
    }

    private Exception Failure(ValueTask handling)
    {
        try
        {
            handling.GetAwaiter().GetResult();
            return new InvalidOperationException("not failed");
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private FrameBuffer ErrorFrame(uint requestId, Exception error)
    {
        var (code, message) = error switch
        {
            LogEngineException engine => (engine.Code, engine.Message),
            OperationCanceledException when _closing.IsCancellationRequested => (LogEngineError.Closed, "the host is shutting down"),
            OperationCanceledException => (LogEngineError.Timeout, "the request was cancelled"),
            WireFormatException wire => (LogEngineError.InvalidArgument, $"malformed request: {wire.Message}; the host closes this connection"),
            _ => (LogEngineError.Internal, error.Message),
        };
        if (code == LogEngineError.Internal) _logger.RequestFailedInsideHost(error);
        var frame = FrameBuffer.Start(FrameKind.Response, requestId);
        frame.Writer.U8(1);
        Codec.WriteError(frame.Writer, code, message);
        return frame;
    }

    private async Task CloseAsync()
    {
        await _closing.CancelAsync();
        try
        {
            await _sender.FlushAsync();
        }
        catch (IOException)
        {
        }
        await _input.CompleteAsync();
        await _output.CompleteAsync();
        await _stream.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Abort("the host is closing");
        await CloseAsync();
        _closing.Dispose();
        _pendingSlots.Dispose();
    }
}
