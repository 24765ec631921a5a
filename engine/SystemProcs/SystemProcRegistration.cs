using System.Text;

namespace Engine.SystemProcs;

/// <summary>
/// A DLL system proc as the log keeps it (entry <see cref="Log.EntryType.SystemProcRegistered"/>,
/// checkpoint section 3): its options without the delegate, and where it came from.
/// Layout (little-endian, strings as u16 length + UTF-8): name · offset · fromCount u16 · from… ·
/// toCount u16 · to… · processor · count i32 · maxReclaims i32 · reclaimTimeoutTicks i64 ·
/// strategy u8 · dropIn u8 · [deadLetterTopic] (absent before dead letters, and when null).
/// </summary>
internal sealed record SystemProcRegistration(SystemProcOptions Options, bool DropIn)
{
    public string Name => Options.Name;

    public byte[] Encode()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            WriteString(w, Options.Name);
            WriteString(w, Options.Offset);
            w.Write((ushort)Options.From.Count);
            foreach (var topic in Options.From) WriteString(w, topic);
            w.Write((ushort)Options.To.Count);
            foreach (var topic in Options.To) WriteString(w, topic);
            WriteString(w, Options.Processor ?? "");
            w.Write(Options.Count);
            w.Write(Options.MaxReclaims);
            w.Write(Options.ReclaimTimeout.Ticks);
            w.Write((byte)Options.OnMaxReclaimsReached);
            w.Write(DropIn);
            if (Options.DeadLetterTopic is not null) WriteString(w, Options.DeadLetterTopic);
        }
        return stream.ToArray();
    }

    public static SystemProcRegistration Decode(ReadOnlySpan<byte> bytes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes.ToArray(), writable: false), Encoding.UTF8);
        var name = ReadString(r);
        var offset = ReadString(r);
        var from = Enumerable.Range(0, r.ReadUInt16()).Select(_ => ReadString(r)).ToArray();
        var to = Enumerable.Range(0, r.ReadUInt16()).Select(_ => ReadString(r)).ToArray();
        var options = new SystemProcOptions
        {
            Name = name,
            Offset = offset,
            From = from,
            To = to,
            Processor = ReadString(r),
            Count = r.ReadInt32(),
            MaxReclaims = r.ReadInt32(),
            ReclaimTimeout = TimeSpan.FromTicks(r.ReadInt64()),
            OnMaxReclaimsReached = (OnMaxReclaims)r.ReadByte(),
        };
        var dropIn = r.ReadBoolean();
        if (r.BaseStream.Position < r.BaseStream.Length) options = options with { DeadLetterTopic = ReadString(r) };
        return new SystemProcRegistration(options, dropIn);
    }

    private static void WriteString(BinaryWriter w, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        w.Write((ushort)bytes.Length);
        w.Write(bytes);
    }

    private static string ReadString(BinaryReader r) => Encoding.UTF8.GetString(r.ReadBytes(r.ReadUInt16()));
}
