using System.Buffers.Binary;
using System.Text;
using Engine.Log;
using Engine.State;

namespace Engine.SystemProcs;

/// <summary>
/// The durable DLL system procs, changed only by applying their entries and restored from
/// checkpoint section 3, so after a reopen they run again without being registered again.
/// Entry payloads (after the 12-byte entry header): SystemProcRegistered carries
/// <see cref="SystemProcRegistration.Encode"/>; SystemProcRemoved carries the name
/// (u16 length + UTF-8). Guarded by the store's write lock.
/// </summary>
internal sealed class SystemProcRegistry
{
    private readonly Dictionary<string, SystemProcRegistration> _byName = new(StringComparer.Ordinal);

    public IReadOnlyCollection<SystemProcRegistration> All => _byName.Values;

    public SystemProcRegistration? ByName(string name) => _byName.GetValueOrDefault(name);

    public void Apply(ReadOnlySpan<byte> entry)
    {
        var payload = entry[EntryHeader.Length..];
        switch ((EntryType)entry[EntryHeader.TypeOffset])
        {
            case EntryType.SystemProcRegistered:
                var registration = Decode(payload);
                _byName[registration.Name] = registration;
                break;
            case EntryType.SystemProcRemoved:
                _byName.Remove(RemovedName(payload));
                break;
            default:
                throw new LogInconsistencyException("not a system proc entry");
        }
    }

    public static byte[] RemovedPayload(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        var payload = new byte[2 + bytes.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(payload, (ushort)bytes.Length);
        bytes.CopyTo(payload, 2);
        return payload;
    }

    /// <summary>Structural check for the frame decoder: the payload must decode.</summary>
    public static bool IsWellFormed(EntryType type, ReadOnlySpan<byte> entry)
    {
        var payload = entry[EntryHeader.Length..];
        try
        {
            if (type == EntryType.SystemProcRegistered) Decode(payload);
            else RemovedName(payload);
            return true;
        }
        catch (LogInconsistencyException)
        {
            return false;
        }
    }

    /// <summary>Checkpoint section 3: count u32, then each registration's encoding as u32 length + bytes.</summary>
    public byte[] Capture()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(_byName.Count);
            foreach (var registration in _byName.Values.OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                var bytes = registration.Encode();
                w.Write(bytes.Length);
                w.Write(bytes);
            }
        }
        return stream.ToArray();
    }

    public void Restore(byte[] section)
    {
        using var r = new BinaryReader(new MemoryStream(section, writable: false));
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var registration = Decode(r.ReadBytes(r.ReadInt32()));
            _byName[registration.Name] = registration;
        }
    }

    private static SystemProcRegistration Decode(ReadOnlySpan<byte> payload)
    {
        try
        {
            return SystemProcRegistration.Decode(payload);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or DecoderFallbackException)
        {
            throw new LogInconsistencyException($"a system proc registration does not decode: {e.Message}");
        }
    }

    private static string RemovedName(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 2 || payload.Length != 2 + BinaryPrimitives.ReadUInt16LittleEndian(payload))
            throw new LogInconsistencyException("a system proc removal is malformed");
        return Encoding.UTF8.GetString(payload[2..]);
    }
}
