using System.Buffers;
using Engine.Fuzz.Oracles;
using Engine.Ipc.Protocol;

namespace Engine.Fuzz.Targets;

/// <summary>
/// The decoders of what crosses the socket (<see cref="Codec"/>): the arguments a client sends and
/// the answers a host sends back. Input: <c>control (1) | payload</c>; the control byte picks the
/// decoder. The oracles: a payload either decodes or is refused with a protocol error (anything
/// else would reach the peer as Internal, or kill a connection's reader); and what decodes, written
/// back and decoded again, writes the same bytes (nothing is lost or changed by a round trip).
/// </summary>
internal static class IpcMessageTarget
{
    private sealed record Message(string Name, Func<WireReader, object?> Read, Action<WireWriter, object?> Write);

    private static readonly Message[] Messages =
    [
        new("commit logs", r => Codec.ReadCommitLogs(r), (w, v) => Codec.Write(w, (IReadOnlyList<CommitLog>)v!)),
        new("strings", r => Codec.ReadStrings(r), (w, v) => Codec.Write(w, (IReadOnlyList<string>)v!)),
        new("entries", r => Codec.ReadEntries(r), (w, v) => Codec.Write(w, (IReadOnlyList<LogEntry>)v!)),
        new("range options", r => Codec.ReadRangeOptions(r), (w, v) => Codec.Write(w, (RangeOptions?)v)),
        new("proc options", r => Codec.ReadProcOptions(r), (w, v) => Codec.Write(w, (ProcOptions)v!)),
        new("proc states", r => Codec.ReadProcStates(r), (w, v) => Codec.Write(w, (IReadOnlyList<ProcState>)v!)),
        new("topic infos", r => Codec.ReadTopicInfos(r), (w, v) => Codec.Write(w, (IReadOnlyList<TopicInfo>)v!)),
        new("proc infos", r => Codec.ReadProcInfos(r), (w, v) => Codec.Write(w, (IReadOnlyList<ProcInfo>)v!)),
        new("ack-commit result", r => Codec.ReadAckCommitResult(r), (w, v) => Codec.Write(w, (AckCommitResult)v!)),
        new("system proc options", r => Codec.ReadSystemProcOptions(r), (w, v) => Codec.Write(w, (SystemProcOptions)v!)),
        new("gc report", r => Codec.ReadGcReport(r), (w, v) => Codec.Write(w, (GcReport)v!)),
        new("engine stats", r => Codec.ReadEngineStats(r), (w, v) => Codec.Write(w, (EngineStats)v!)),
        new("ack-and-proc result", r => Codec.ReadAckAndProcResult(r), (w, v) => Codec.Write(w, (AckAndProcResult)v!)),
    ];

    public static int Count => Messages.Length;

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        var message = Messages[input[0] % Messages.Length];
        if (!TryDecode(message, input[1..].ToArray(), out var value)) return;
        var once = Encode(message, value);
        OracleViolation.Require(TryDecode(message, once, out var again), $"{message.Name}: what was written back does not decode");
        OracleViolation.Require(Encode(message, again).AsSpan().SequenceEqual(once), $"{message.Name}: a round trip changed what is written");
    }

    /// <summary>Writes <paramref name="value"/> as <paramref name="message"/> (for the seeds and the round trip).</summary>
    public static byte[] Encode(int message, object? value) => Encode(Messages[message], value);

    private static byte[] Encode(Message message, object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        message.Write(new WireWriter(buffer), value);
        return buffer.WrittenSpan.ToArray();
    }

    private static bool TryDecode(Message message, byte[] payload, out object? value)
    {
        try
        {
            value = message.Read(new WireReader(payload));
            return true;
        }
        catch (WireFormatException)
        {
            value = null;
            return false; // refused as a protocol error: what the host answers InvalidArgument to
        }
    }
}
