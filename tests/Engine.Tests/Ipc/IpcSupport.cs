using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Engine.Ipc;
using Engine.Ipc.Server;
using Engine.Ipc.Transport;
using Microsoft.Extensions.Logging;

namespace Engine.Tests.Ipc;

/// <summary>Addresses, waits and process handling shared by the IPC tests.</summary>
internal static class IpcTest
{
    /// <summary>A safety net against hangs; never an expected duration.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    /// <summary>A fresh Unix socket path under the temp folder, short enough for sun_path.</summary>
    public static string NewSocketPath()
    {
        var directory = Path.Combine(Path.GetTempPath(), "engine-tests");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $"{Guid.NewGuid():N}.sock");
    }

    /// <summary>A namespace no other test uses.</summary>
    public static string NewNamespace() => $"t-{Guid.NewGuid():N}";

    /// <summary>A loopback port nothing listens on right now (bound to port 0, then released).</summary>
    public static int FreeTcpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>Asserts that a call fails with a <see cref="LogEngineException"/> of this code.</summary>
    public static async Task<LogEngineException> FailsWithAsync(LogEngineError code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<LogEngineException>(call);
        Assert.True(error.Code == code, $"expected {code}, got {error.Code}: {error.Message}");
        return error;
    }

    /// <summary>Whether a process with this id is still running.</summary>
    /// <summary>Completes when the process exits (the runtime's exit notification, not a poll).</summary>
    public static async Task ExitedAsync(int pid, string what)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            return; // already gone
        }
        using (process)
        {
            using var guard = new CancellationTokenSource(Guard);
            try
            {
                await process.WaitForExitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{what}: process {pid} still running after {Guard}");
            }
        }
    }

    public static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>SIGKILLs a process (a host the test started) and waits until it is gone; nothing if it already is.</summary>
    public static void Kill(int? pid)
    {
        if (pid is not { } id) return;
        try
        {
            using var process = Process.GetProcessById(id);
            if (!process.HasExited) process.Kill();
            process.WaitForExit(Guard);
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>Commits a record and reads it back through this client.</summary>
    public static async Task AssertServesAsync(LogClient client, string topic = "alive")
    {
        var body = Encoding.UTF8.GetBytes(Guid.NewGuid().ToString());
        var id = await client.CommitAsync(topic, body);
        var back = await client.RangeAsync(topic, new RangeOptions { Start = id, End = id });
        Assert.Equal(body, Assert.Single(back).Body.ToArray());
    }
}

/// <summary>
/// A spawned host (<see cref="LogClient.SpawnAsync"/>) and its spawner's client; disposing
/// closes the client and SIGKILLs the host if a test left it running.
/// </summary>
internal sealed class Spawned : IAsyncDisposable
{
    private Spawned(LogClient client)
    {
        Client = client;
        ProcessId = client.HostProcessId ?? throw new InvalidOperationException("a spawned client knows its host's process");
    }

    public LogClient Client { get; }

    public int ProcessId { get; }

    public static async Task<Spawned> StartAsync(SpawnOptions options) =>
        new(await LogClient.SpawnAsync(options with { Workers = 0 }));

    public void Kill() => IpcTest.Kill(ProcessId);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Client.DisposeAsync();
        }
        finally
        {
            Kill();
        }
    }
}

/// <summary>
/// A host served from this process: an engine (in memory, or on disk at a path) behind a
/// <see cref="HostServer"/> whose limits the test chooses, on a Unix socket of its own (or the
/// address given). Its connection count and its log are in reach.
/// </summary>
internal sealed class InProcessHost : IAsyncDisposable
{
    private readonly LogEngine _engine;
    private readonly HostServer _server;

    private InProcessHost(LogEngine engine, HostServer server, CapturingLogger log)
    {
        _engine = engine;
        _server = server;
        Log = log;
    }

    public string Address => _server.Address;

    public string? SocketPath => Address.StartsWith("unix://", StringComparison.Ordinal) ? Address["unix://".Length..] : null;

    public int ConnectionCount => _server.ConnectionCount;

    private RequestDispatcher Dispatcher { get; init; } = null!;

    /// <summary>Completes when the host has forgotten the live proc <paramref name="name"/> after its connection closed; arm it before the close.</summary>
    public Task LiveProcForgottenAsync(string name)
    {
        var forgotten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Dispatcher.LiveProcForgotten += proc =>
        {
            if (proc == name) forgotten.TrySetResult();
        };
        return forgotten.Task.WaitAsync(IpcTest.Guard);
    }

    /// <summary>Completes once the host has exactly <paramref name="count"/> connections (an event of the host, not a poll).</summary>
    public async Task UntilConnectionsAsync(int count, string what)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (_server.ConnectionCount == count) reached.TrySetResult();
        }
        _server.ConnectionsChanged += Check;
        try
        {
            Check();
            var done = await Task.WhenAny(reached.Task, Task.Delay(IpcTest.Guard));
            Assert.True(done == reached.Task, $"{what}: the host still has {_server.ConnectionCount} connections after {IpcTest.Guard}");
        }
        finally
        {
            _server.ConnectionsChanged -= Check;
        }
    }

    /// <summary>Moves the host's (fake) clock on and returns once the idle reaper has looked at the connections.</summary>
    public async Task AdvanceAndSweepAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider clock, TimeSpan by)
    {
        var swept = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSwept() => swept.TrySetResult();
        _server.Swept += OnSwept;
        try
        {
            clock.Advance(by);
            await swept.Task.WaitAsync(IpcTest.Guard);
        }
        finally
        {
            _server.Swept -= OnSwept;
        }
    }

    public CapturingLogger Log { get; }

    public static async Task<InProcessHost> StartAsync(Func<HostServerOptions, HostServerOptions>? configure = null, string? address = null)
    {
        var options = new HostServerOptions { Endpoint = Endpoint.Parse(address ?? "unix://" + IpcTest.NewSocketPath()) };
        if (configure is not null) options = configure(options);
        var engine = LogEngine.OpenInMemory(new LogEngineOptions { Workers = 0 });
        var log = new CapturingLogger();
        try
        {
            var dispatcher = new RequestDispatcher(engine, () => ValueTask.CompletedTask);
            var server = await HostServer.StartAsync(options, dispatcher, log);
            return new InProcessHost(engine, server, log) { Dispatcher = dispatcher };
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    public ValueTask<LogClient> ConnectAsync(string? token = null, TimeSpan? heartbeat = null) =>
        LogClient.ConnectAsync(new ConnectOptions
        {
            Socket = Address,
            Token = token,
            Timeout = IpcTest.Guard,
            Heartbeat = heartbeat ?? TimeSpan.FromSeconds(5),
        });

    public Task<RawConnection> ConnectRawAsync() => RawConnection.ConnectAsync(Address);

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        await _engine.DisposeAsync();
        await _server.CloseConnectionsAsync();
        await _server.DisposeAsync();
    }
}

/// <summary>
/// A socket speaking the wire protocol by hand: <c>length u32 | kind u8 | requestId u32 | payload</c>,
/// little-endian, where length counts everything after itself. For sending what a LogClient never
/// would, and watching what the host does about it.
/// </summary>
internal sealed class RawConnection : IDisposable
{
    public const byte Hello = 1;
    public const byte Welcome = 2;
    public const byte Request = 3;
    public const byte Response = 4;
    public const byte Ping = 5;
    public const byte Pong = 6;
    public const ushort OpLength = 5;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RawConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<RawConnection> ConnectAsync(string address)
    {
        var endpoint = Endpoint.Parse(address);
        var socket = endpoint.NewSocket();
        try
        {
            await socket.ConnectAsync(endpoint.Address);
            return new RawConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A whole frame: its length prefix (5 + payload), kind, request id and payload.</summary>
    public static byte[] Frame(byte kind, uint requestId, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[9 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, 5 + payload.Length);
        frame[4] = kind;
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(5), requestId);
        payload.CopyTo(frame.AsSpan(9));
        return frame;
    }

    /// <summary>A hello's payload: the magic as a byte block (i32 length), the version (u16), the token (i32 length, -1 = null).</summary>
    public static byte[] HelloPayload(string? token, ushort version = 1, string magic = "ENGIPC1\n")
    {
        var payload = new List<byte>();
        var magicBytes = Encoding.UTF8.GetBytes(magic);
        payload.AddRange(I32(magicBytes.Length));
        payload.AddRange(magicBytes);
        payload.Add((byte)version);
        payload.Add((byte)(version >> 8));
        payload.AddRange(String(token));
        return [.. payload];
    }

    /// <summary>A request payload for LengthAsync(topic): op (u16) then the topic.</summary>
    public static byte[] LengthRequest(string topic) => [(byte)OpLength, 0, .. String(topic)];

    public static byte[] I32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    public static byte[] String(string? value) =>
        value is null ? I32(-1) : [.. I32(Encoding.UTF8.GetByteCount(value)), .. Encoding.UTF8.GetBytes(value)];

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Sends bytes the host may hang up on before they are all written.</summary>
    public async Task SendQuietlyAsync(byte[] bytes)
    {
        try
        {
            await _stream.WriteAsync(bytes);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The next frame from the host.</summary>
    public async Task<(byte Kind, uint RequestId, byte[] Payload)> ReadFrameAsync()
    {
        using var timeout = new CancellationTokenSource(IpcTest.Guard);
        var prefix = new byte[4];
        await _stream.ReadExactlyAsync(prefix, timeout.Token);
        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        Assert.InRange(length, 5, 1 << 20);
        var rest = new byte[length];
        await _stream.ReadExactlyAsync(rest, timeout.Token);
        return (rest[0], BinaryPrimitives.ReadUInt32LittleEndian(rest.AsSpan(1)), rest[5..]);
    }

    /// <summary>Says hello and returns the welcome's status byte (0 = accepted).</summary>
    public async Task<byte> HelloAsync(string? token = null)
    {
        await SendAsync(Frame(Hello, 0, HelloPayload(token)));
        var (kind, _, payload) = await ReadFrameAsync();
        Assert.Equal(Welcome, kind);
        return payload[0];
    }

    /// <summary>A completed handshake, proven by a request answered over it.</summary>
    public async Task HandshakeAsync(string? token = null)
    {
        Assert.Equal(0, await HelloAsync(token));
        await SendAsync(Frame(Request, 7, LengthRequest("raw")));
        var (kind, requestId, _) = await ReadFrameAsync();
        Assert.Equal(Response, kind);
        Assert.Equal(7u, requestId);
    }

    /// <summary>A heartbeat: a ping, answered by a pong, so the host has seen it when this returns.</summary>
    public async Task HeartbeatAsync()
    {
        await SendAsync(Frame(Ping, 0, []));
        Assert.Equal(Pong, (await ReadFrameAsync()).Kind);
    }

    /// <summary>The connection still carries requests: one more is answered.</summary>
    public async Task AssertStillServedAsync()
    {
        await SendAsync(Frame(Request, 77, LengthRequest("still-open")));
        var (kind, requestId, _) = await ReadFrameAsync();
        Assert.Equal((Response, 77u), (kind, requestId));
    }

    /// <summary>
    /// Reads (and drops) whatever the host still sends until the connection ends: true at end of
    /// stream or reset, false if it is still open after <paramref name="within"/>.
    /// </summary>
    public async Task<bool> ClosedByHostAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? IpcTest.Guard);
        var buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
            return true;
        }
        catch (IOException)
        {
            return true; // reset: the host closed with our bytes unread
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }
}

/// <summary>A logger that keeps what the host logs, for asserting on reasons.</summary>
internal sealed class CapturingLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public bool Logged(LogLevel level, string fragment) =>
        _entries.Any(e => e.Level == level && e.Message.Contains(fragment, StringComparison.Ordinal));

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, formatter(state, exception)));
}

/// <summary>
/// <c>dotnet Engine.Host.dll serve ...</c> started by the test itself, for options SpawnOptions
/// does not carry and for watching the process: its READY line, its stderr and its exit code.
/// Disposing SIGKILLs it if it is still running.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string?> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _errors = new();

    private HostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) _ready.TrySetResult(null);
            else if (e.Data.StartsWith("READY ", StringComparison.Ordinal)) _ready.TrySetResult(e.Data["READY ".Length..]);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _errors.Enqueue(e.Data);
            ErrorLine?.Invoke(e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int ProcessId => _process.Id;

    public string Errors => string.Join(Environment.NewLine, _errors);

    private event Action<string>? ErrorLine;

    /// <summary>Completes when the host writes a stderr line containing <paramref name="text"/> (or has written one).</summary>
    public async Task ErrorLineAsync(string text, string what)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(string line)
        {
            if (line.Contains(text, StringComparison.Ordinal)) seen.TrySetResult();
        }
        ErrorLine += Check;
        try
        {
            foreach (var line in _errors) Check(line);
            var done = await Task.WhenAny(seen.Task, Task.Delay(IpcTest.Guard));
            Assert.True(done == seen.Task, $"{what}: no line with \"{text}\" after {IpcTest.Guard}: {Errors}");
        }
        finally
        {
            ErrorLine -= Check;
        }
    }

    /// <summary>Starts <c>serve</c> with these arguments (stdin stays open: --exit-with-parent holds it for the test's life).</summary>
    public static HostProcess Start(params string[] serveArguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Engine.Host.dll"));
        info.ArgumentList.Add("serve");
        foreach (var argument in serveArguments) info.ArgumentList.Add(argument);
        info.ArgumentList.Add("--exit-with-parent");
        return new HostProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start the host"));
    }

    /// <summary>The address from its READY line; fails the test if it exits first.</summary>
    public async Task<string> ReadyAsync()
    {
        var address = await _ready.Task.WaitAsync(IpcTest.Guard);
        if (address is null)
        {
            await _process.WaitForExitAsync();
            Assert.Fail($"the host exited with {_process.ExitCode} before it was ready: {Errors}");
        }
        return address;
    }

    /// <summary>Waits for the process to end and returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(IpcTest.Guard);
        _process.WaitForExit(); // the output and error streams are drained too
        return _process.ExitCode;
    }

    public void Kill() => IpcTest.Kill(_process.Id);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(IpcTest.Guard);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        // A killed host leaves its socket file behind.
        if (_ready.Task.IsCompletedSuccessfully && _ready.Task.Result is { } address && address.StartsWith("unix://", StringComparison.Ordinal))
            File.Delete(address["unix://".Length..]);
    }
}
