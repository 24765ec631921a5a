using System.Buffers.Binary;
using System.Net.Sockets;
using System.Threading.Channels;
using Engine.Ipc;
using Engine.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static Engine.Tests.Ipc.RawConnection;

namespace Engine.Tests.Ipc;

/// <summary>
/// Dead and half-open connections do not pile up: the host closes a connection silent past its
/// idle timeout (or one that never says hello), while clients' heartbeats keep live ones open;
/// a client whose host stops answering heartbeats fails its calls with ConnectionFailed.
/// </summary>
public sealed class HeartbeatTests
{
    // The timings leave room for the whole test process to stall for a second (a loaded
    // machine): the host and its clients share it, and a stall silences both sides at once.
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task A_connection_silent_after_its_handshake_is_closed_after_the_idle_timeout_while_a_heartbeating_client_stays()
    {
        // The host's clock is fake: the reaper looks every Idle/4 of it, and nothing here depends on
        // how fast the machine is.
        var clock = new FakeTimeProvider();
        await using var host = await InProcessHost.StartAsync(o => o with { IdleTimeout = Idle, Time = clock });
        using var heartbeating = await host.ConnectRawAsync();
        await heartbeating.HandshakeAsync();
        using var silent = await host.ConnectRawAsync();
        await silent.HandshakeAsync();

        // Exactly the idle timeout of silence is still alive (the host closes what is silent longer).
        for (var quarter = 0; quarter < 4; quarter++)
        {
            await heartbeating.HeartbeatAsync();
            await host.AdvanceAndSweepAsync(clock, Idle / 4);
        }
        Assert.False(host.Log.Logged(LogLevel.Warning, "no request and no heartbeat"), "reaped at exactly the idle timeout");
        await heartbeating.HeartbeatAsync();
        await host.AdvanceAndSweepAsync(clock, Idle / 4);

        Assert.True(await silent.ClosedByHostAsync(), "the host kept a silent connection open");
        Assert.True(host.Log.Logged(LogLevel.Warning, "no request and no heartbeat"), "the reaping is not logged");
        // The heartbeating client, silent but for its heartbeats, outlives two idle timeouts.
        for (var quarter = 0; quarter < 4; quarter++)
        {
            await heartbeating.HeartbeatAsync();
            await host.AdvanceAndSweepAsync(clock, Idle / 4);
        }
        await heartbeating.AssertStillServedAsync();
        // The silent connection's close is seen by its peer before the host has counted it gone.
        await host.UntilConnectionsAsync(1, "only the heartbeating connection is left");
    }

    [Fact]
    public async Task A_client_whose_heartbeat_is_slower_than_the_idle_timeout_is_reaped_and_then_fails_with_ConnectionFailed()
    {
        await using var host = await InProcessHost.StartAsync(o => o with { IdleTimeout = TimeSpan.FromSeconds(1) });
        await using var client = await host.ConnectAsync(heartbeat: TimeSpan.FromMinutes(1));

        await host.UntilConnectionsAsync(0, "the silent client is reaped");

        await IpcTest.FailsWithAsync(LogEngineError.ConnectionFailed, async () => await client.LengthAsync("t"));
        await IpcTest.FailsWithAsync(LogEngineError.ConnectionFailed, async () => await client.CommitAsync("t", "x"u8.ToArray()));
    }

    [Fact]
    public async Task A_connection_that_never_says_hello_is_closed_after_the_handshake_timeout()
    {
        var handshakeTimeout = TimeSpan.FromMilliseconds(500);
        var clock = new TimerCountingClock(DateTimeOffset.UnixEpoch);
        await using var host = await InProcessHost.StartAsync(o => o with { HandshakeTimeout = handshakeTimeout, IdleTimeout = TimeSpan.FromHours(1), Time = clock });
        var armed = clock.TimersArmed;
        using var late = await host.ConnectRawAsync();
        using var silent = await host.ConnectRawAsync();
        await clock.ArmedBeyondAsync(armed + 1).WaitAsync(IpcTest.Guard); // both connections' handshake timeouts are armed

        // A moment before the timeout a hello is still welcome...
        clock.Advance(handshakeTimeout - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await late.HelloAsync());
        // ...and at the timeout the connection that said nothing is closed.
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await silent.ClosedByHostAsync(), "the host kept a connection that never said hello");

        await late.AssertStillServedAsync();
        await using var client = await host.ConnectAsync();
        await IpcTest.AssertServesAsync(client);
    }

    [Fact]
    public async Task A_client_trusts_a_host_silent_for_three_heartbeats_and_fails_its_calls_with_ConnectionFailed_at_the_next()
    {
        // The client's clock is fake: its heartbeats beat when the test moves it, and nothing here
        // depends on how fast the machine is.
        var clock = new FakeTimeProvider();
        var heartbeat = TimeSpan.FromSeconds(5);
        await using var silentHost = new MuteHost(hears: true);
        await using var client = await LogClient.ConnectAsync(new ConnectOptions
        {
            Socket = silentHost.Address, Heartbeat = heartbeat, Timeout = IpcTest.Guard, TimeProvider = clock,
        });
        await silentHost.WelcomedAsync();
        var call = client.LengthAsync("t").AsTask();
        Assert.Equal(Request, await silentHost.HeardAsync());

        // Silent for one, two, exactly three heartbeats: still trusted, so each beat is a ping and
        // the call keeps waiting for its answer.
        for (var beat = 1; beat <= 3; beat++)
        {
            clock.Advance(heartbeat);
            Assert.True(await silentHost.HeardAsync() == Ping, $"no ping at heartbeat {beat}, {beat * heartbeat} of silence");
        }
        Assert.False(call.IsCompleted, "the client gave up on a host silent for three heartbeats");

        // The next beat finds it silent for longer: the client hangs up instead of pinging, and the
        // call in flight fails, as does every later one.
        clock.Advance(heartbeat);
        Assert.True(await silentHost.HeardAsync() == HungUp, "the client pinged a host silent for four heartbeats");
        var error = await IpcTest.FailsWithAsync(LogEngineError.ConnectionFailed, () => call.WaitAsync(IpcTest.Guard));
        Assert.Contains($"has not answered for {(4 * heartbeat).TotalMilliseconds} ms", error.Message, StringComparison.Ordinal);
        await IpcTest.FailsWithAsync(LogEngineError.ConnectionFailed, async () => await client.LengthAsync("t"));
    }

    [Fact]
    public async Task A_call_blocked_sending_to_a_host_that_stopped_reading_fails_with_ConnectionFailed()
    {
        // The client writes with blocking socket calls (see ReaderThread): a commit far larger than
        // the socket buffers to a host that never reads again blocks in the write until the
        // heartbeat gives up on the host and closes the socket under it.
        await using var deafHost = new MuteHost();
        await using var client = await LogClient.ConnectAsync(new ConnectOptions
        {
            Socket = deafHost.Address, Heartbeat = TimeSpan.FromMilliseconds(100), Timeout = IpcTest.Guard,
        });
        await deafHost.WelcomedAsync();

        var huge = new byte[LogEngineOptions.MaxBodySize];
        await IpcTest.FailsWithAsync(LogEngineError.ConnectionFailed, async () => await client.CommitAsync("t", huge).AsTask().WaitAsync(IpcTest.Guard));
    }

    /// <summary>What <see cref="MuteHost.HeardAsync"/> returns when the client closed the connection.</summary>
    private const byte HungUp = 0;

    /// <summary>
    /// A "host" that welcomes one client, then never sends another byte (hung, or half-open). By
    /// default it does not read either; one that <c>hears</c> reads the client's frames and tells
    /// the test what came, one at a time.
    /// </summary>
    private sealed class MuteHost : IAsyncDisposable
    {
        private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        private readonly Task<NetworkStream> _accepted;
        private readonly Channel<byte> _heard = Channel.CreateUnbounded<byte>();

        public MuteHost(bool hears = false)
        {
            var path = IpcTest.NewSocketPath();
            Address = "unix://" + path;
            _listener.Bind(new UnixDomainSocketEndPoint(path));
            _listener.Listen();
            _accepted = Task.Run(async () =>
            {
                var stream = new NetworkStream(await _listener.AcceptAsync(), ownsSocket: true);
                _ = await ReadFrameKindAsync(stream); // the hello, unchecked
                await stream.WriteAsync(Frame(Welcome, 0, [0, 1, 0, .. String("")]));
                if (hears) _ = Task.Run(() => HearAsync(stream));
                return stream;
            });
        }

        public string Address { get; }

        public Task WelcomedAsync() => _accepted;

        /// <summary>The kind of the next frame the client sent, or <see cref="HungUp"/> once it closed the connection.</summary>
        public async Task<byte> HeardAsync()
        {
            using var guard = new CancellationTokenSource(IpcTest.Guard);
            return await _heard.Reader.WaitToReadAsync(guard.Token) ? await _heard.Reader.ReadAsync(guard.Token) : HungUp;
        }

        private async Task HearAsync(NetworkStream stream)
        {
            try
            {
                while (await ReadFrameKindAsync(stream) is { } kind) await _heard.Writer.WriteAsync(kind);
            }
            catch (IOException)
            {
                // reset: the client closed with bytes unread
            }
            catch (ObjectDisposedException)
            {
                // the test is over
            }
            _heard.Writer.TryComplete();
        }

        /// <summary>Reads one frame (length prefix, kind, request id, payload) and returns its kind; null at the end of the stream.</summary>
        private static async Task<byte?> ReadFrameKindAsync(NetworkStream stream)
        {
            var prefix = new byte[4];
            if (await stream.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false) < prefix.Length) return null;
            var rest = new byte[BinaryPrimitives.ReadInt32LittleEndian(prefix)];
            if (await stream.ReadAtLeastAsync(rest, rest.Length, throwOnEndOfStream: false) < rest.Length) return null;
            return rest[0];
        }

        public async ValueTask DisposeAsync()
        {
            if (_accepted.IsCompletedSuccessfully) await _accepted.Result.DisposeAsync();
            _listener.Dispose();
        }
    }
}
