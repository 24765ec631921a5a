using System.Buffers.Binary;
using System.Net.Sockets;
using static Engine.Tests.Ipc.RawConnection;

namespace Engine.Tests.Ipc;

/// <summary>
/// A "host" on a Unix socket for tests of what a client sends: it welcomes one client with
/// <c>welcome</c> (a welcome's payload, so a test can play a host from before a field or a
/// feature), answers each request (pings aside) with what <c>respond</c> makes of its payload,
/// and keeps every request's kind and payload.
/// </summary>
internal sealed class ScriptedHost : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly Task _serving;
    private readonly List<(byte Kind, byte[] Payload)> _requests = [];
    private readonly TaskCompletionSource<(byte Kind, byte[] Payload)> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private NetworkStream? _stream;

    public ScriptedHost(byte[] welcome, Func<byte[], byte[]> respond)
    {
        var path = IpcTest.NewSocketPath();
        Address = "unix://" + path;
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen();
        _serving = Task.Run(async () =>
        {
            _stream = new NetworkStream(await _listener.AcceptAsync(), ownsSocket: true);
            await ReadFrameAsync(_stream); // the hello
            await _stream.WriteAsync(Frame(Welcome, 0, welcome));
            while (true)
            {
                var (kind, requestId, payload) = await ReadFrameAsync(_stream);
                if (kind == Ping) continue;
                lock (_requests) _requests.Add((kind, payload));
                _first.TrySetResult((kind, payload));
                await _stream.WriteAsync(Frame(Response, requestId, respond(payload)));
            }
        });
    }

    public string Address { get; }

    /// <summary>The first request the client sent.</summary>
    public Task<(byte Kind, byte[] Payload)> FirstRequest => _first.Task.WaitAsync(IpcTest.Guard);

    /// <summary>Every request so far, in the order they came.</summary>
    public IReadOnlyList<(byte Kind, byte[] Payload)> Requests
    {
        get
        {
            lock (_requests) return [.. _requests];
        }
    }

    private static async Task<(byte Kind, uint RequestId, byte[] Payload)> ReadFrameAsync(NetworkStream stream)
    {
        var prefix = new byte[4];
        await stream.ReadExactlyAsync(prefix);
        var rest = new byte[BinaryPrimitives.ReadInt32LittleEndian(prefix)];
        await stream.ReadExactlyAsync(rest);
        return (rest[0], BinaryPrimitives.ReadUInt32LittleEndian(rest.AsSpan(1)), rest[5..]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null) await _stream.DisposeAsync();
        _listener.Dispose();
        await _serving.ContinueWith(_ => { }, TaskScheduler.Default); // ends when the client or this side hangs up
    }
}
