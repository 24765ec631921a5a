namespace Engine.Ipc.Protocol;

/// <summary>
/// The IPC framing (format-spec.md, section 8). Every frame is
/// <code>length u32 | kind u8 | requestId u32 | payload</code>
/// little-endian, where <c>length</c> counts everything after itself. A frame longer than the
/// receiver's limit is refused before its payload is read, and closes that connection only.
/// </summary>
internal static class Wire
{
    public const ushort ProtocolVersion = 1;
    public const int LengthPrefix = 4;
    public const int HeaderLength = 5; // kind + requestId, after the length
    public const int DefaultMaxFrame = 64 * 1024 * 1024;
    public static ReadOnlySpan<byte> Magic => "ENGIPC1\n"u8;

    /// <summary>
    /// What this host understands beyond protocol version 1, announced after the welcome's message
    /// (format-spec.md, section 8.3). A host too old to send the field announces nothing, and a
    /// client then sends only what version 1 had, so either side may be the older one.
    /// </summary>
    public const uint HostFeatures = FeatureTraceContext | FeatureAckAndProc;

    /// <summary>The host accepts <see cref="FrameKind.TracedRequest"/> frames.</summary>
    public const uint FeatureTraceContext = 1;

    /// <summary>The host serves <see cref="Op.AckAndProc"/>; a client sends an older host an ack and a claim instead.</summary>
    public const uint FeatureAckAndProc = 2;
}

/// <summary>What a frame carries.</summary>
internal enum FrameKind : byte
{
    /// <summary>Client → host, first frame: magic, protocol version, token.</summary>
    Hello = 1,
    /// <summary>Host → client: the handshake's answer.</summary>
    Welcome = 2,
    /// <summary>Client → host: an operation, answered by a response with the same request id.</summary>
    Request = 3,
    /// <summary>Host → client: the answer to a request, in any order.</summary>
    Response = 4,
    /// <summary>Either way: are you there? Answered by a pong.</summary>
    Ping = 5,
    Pong = 6,
    /// <summary>Client → host: stop waiting for the request with this id (its caller gave up).</summary>
    Cancel = 7,
    /// <summary>Client → host: a request whose payload starts with the caller's W3C trace context (sent only to a host that announced <see cref="Wire.FeatureTraceContext"/>).</summary>
    TracedRequest = 8,
}

/// <summary>The answer to a hello.</summary>
internal enum WelcomeStatus : byte
{
    Accepted = 0,
    Unauthorized = 1,
    VersionMismatch = 2,
}

/// <summary>Operations a request can ask for; each is one <see cref="ILogClient"/> call (or a host command).</summary>
internal enum Op : ushort
{
    Commit = 1,
    CommitBatch = 2,
    Range = 3,
    RevRange = 4,
    Length = 5,
    Proc = 6,
    Ack = 7,
    AckCommit = 8,
    Reclaim = 9,
    Inspect = 10,
    Destroy = 11,
    Disable = 12,
    Resume = 13,
    SystemProc = 14,
    CreateLiveProc = 15,
    ClaimWhenAvailable = 16,
    ForgetLiveProc = 17,
    WaitForProcs = 18,
    Shutdown = 19,
    CollectGarbage = 20,
    Stats = 21,
    ListTopics = 22,
    ListProcs = 23,
    ProcInfo = 24,
    AckAndProc = 25,

    /// <summary>Worker → engine, first request: its worker number and process id.</summary>
    WorkerHello = 30,
    /// <summary>Worker → engine: give me a batch (answered when the scheduler assigns one).</summary>
    WorkerTake = 31,
    /// <summary>Worker → engine: a batch's outputs, or the processor's error.</summary>
    WorkerDone = 32,
    /// <summary>Worker → engine: tell me what to do next (answered to cancel a batch or to exit).</summary>
    WorkerControl = 33,
}
