using System.Globalization;
using Engine.Storage;

namespace Engine.Tests.Faults;

/// <summary>
/// A storage medium on a <see cref="SimulatedDisk"/> that does what <see cref="FileMedium"/>
/// does, step by step (temp file, write, fsync, rename, directory fsync), so a crash or a fault
/// can land between any two steps, and fails the operation its <see cref="FaultPlan"/> names.
/// A failed fsync writes an arbitrary part of what it was asked to, as Linux may.
/// </summary>
internal sealed class FaultyMedium : IStorageMedium
{
    private const string Log = "log/";
    private const string Index = "index/";
    private const string Root = "";

    private readonly SimulatedDisk _disk;
    private readonly FaultPlan _plan;
    private readonly Random _random;

    public FaultyMedium(SimulatedDisk disk, FaultPlan plan, int seed)
    {
        _disk = disk;
        _plan = plan;
        _random = new Random(seed);
        // What FileMedium.Open tidies: half-made files, and segments retired before a crash.
        foreach (var directory in new[] { Root, Log, Index })
            foreach (var temp in disk.Names(directory).Where(n => n.EndsWith(".tmp", StringComparison.Ordinal)))
                disk.Delete(temp);
        PurgeRetiredSegments();
    }

    public bool IsPersistent => true;

    /// <summary>A disk that lies: fsyncs report success and make nothing durable (to show the checks can fail).</summary>
    public bool FsyncsLie { get; init; }

    public IReadOnlyList<long> ListSegments() =>
        [.. _disk.Names(Log).Select(n => n[Log.Length..]).Where(n => n.Length == 24 && n.EndsWith(".seg", StringComparison.Ordinal))
            .Select(n => long.Parse(n[..20], NumberStyles.None, CultureInfo.InvariantCulture))];

    public string SegmentName(long basePosition) => Log + basePosition.ToString("D20", CultureInfo.InvariantCulture) + ".seg";

    public MemoryRegion CreateSegment(long basePosition, long capacity, ReadOnlySpan<byte> header)
    {
        var final = SegmentName(basePosition);
        var temp = final + ".tmp";
        if (_disk.Find(final) is not null) throw new IOException($"{final} already exists (simulated)");
        Step(StorageOp.Create, $"create {temp}");
        var file = _disk.Create(temp, capacity);
        var named = false;
        try
        {
            Step(StorageOp.Reserve, $"reserve the header of {temp}");
            Step(StorageOp.Write, $"write the header of {temp}");
            header.CopyTo(file.LiveSpan(0, header.Length));
            Sync(file, temp);
            Step(StorageOp.Rename, $"rename {temp}");
            _disk.Rename(temp, final);
            named = true;
            SyncDirectory(Log);
            return new SimRegion(this, file, final);
        }
        catch
        {
            _disk.Delete(named ? final : temp); // as FileMedium does: no directory sync
            throw;
        }
    }

    public MemoryRegion OpenSegment(long basePosition, long capacity)
    {
        var name = SegmentName(basePosition);
        var file = _disk.Get(name);
        if (file.Length != capacity) throw new NotSupportedException($"the simulated disk does not resize {name}");
        return new SimRegion(this, file, name);
    }

    public long SegmentFileLength(long basePosition) => _disk.Get(SegmentName(basePosition)).Length;

    public unsafe int ReadSegmentStart(long basePosition, Span<byte> destination)
    {
        var file = _disk.Get(SegmentName(basePosition));
        var length = (int)Math.Min(destination.Length, file.Length);
        file.LiveSpan(0, length).CopyTo(destination);
        return length;
    }

    public void RetireSegments(IReadOnlyCollection<long> basePositions)
    {
        if (basePositions.Count == 0) return;
        foreach (var basePosition in basePositions)
        {
            var name = SegmentName(basePosition);
            Step(StorageOp.Rename, $"retire {name}");
            _disk.Delete(name + ".deleted");
            _disk.Rename(name, name + ".deleted");
        }
        SyncDirectory(Log);
    }

    public void PurgeRetiredSegments()
    {
        var any = false;
        foreach (var retired in _disk.Names(Log).Where(n => n.EndsWith(".seg.deleted", StringComparison.Ordinal)))
        {
            Step(StorageOp.Delete, $"delete {retired}");
            _disk.Delete(retired);
            any = true;
        }
        if (any) SyncDirectory(Log);
    }

    public void DeleteSegment(long basePosition)
    {
        var name = SegmentName(basePosition);
        Step(StorageOp.Delete, $"delete {name}");
        _disk.Delete(name);
        SyncDirectory(Log);
    }

    public void ZeroSegmentRange(long basePosition, MemoryRegion region, long offset, long length)
    {
        Step(StorageOp.Write, $"zero a range of {SegmentName(basePosition)}");
        var file = ((SimRegion)region).File;
        for (var at = offset; at < offset + length; at += int.MaxValue)
            file.LiveSpan(at, (int)Math.Min(int.MaxValue, offset + length - at)).Clear();
    }

    public void Reserve(MemoryRegion region, long offset, long length) =>
        Step(StorageOp.Reserve, $"reserve {length} bytes of {((SimRegion)region).Name}");

    public string IndexChunkName(uint topicId, uint chunk) =>
        string.Create(CultureInfo.InvariantCulture, $"{Index}{topicId:x8}-{chunk:x8}.idx");

    public MemoryRegion? OpenIndexChunk(uint topicId, uint chunk, long length, bool create)
    {
        var name = IndexChunkName(topicId, chunk);
        if (_disk.Find(name) is { } existing)
        {
            if (existing.Length != length) throw new NotSupportedException($"the simulated disk does not resize {name}");
            return new SimRegion(this, existing, name);
        }
        if (!create) return null;
        Step(StorageOp.Create, $"create {name}");
        return new SimRegion(this, _disk.Create(name, length), name);
    }

    public void DeleteIndexChunk(uint topicId, uint chunk)
    {
        var name = IndexChunkName(topicId, chunk);
        Step(StorageOp.Delete, $"delete {name}");
        _disk.Delete(name);
    }

    public IReadOnlyList<(uint TopicId, uint Chunk)> ListIndexChunks() =>
        [.. _disk.Names(Index).Select(n => n[Index.Length..]).Where(n => n.Length == 21 && n.EndsWith(".idx", StringComparison.Ordinal))
            .Select(n => (uint.Parse(n[..8], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
                          uint.Parse(n[9..17], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)))];

    public void SyncIndexDirectory() => SyncDirectory(Index);

    public unsafe byte[]? ReadCheckpoint(int slot) =>
        _disk.Find($"checkpoint.{slot}") is { } file ? file.LiveSpan(0, (int)file.Length).ToArray() : null;

    public void WriteCheckpoint(int slot, ReadOnlySpan<byte> bytes)
    {
        var final = $"checkpoint.{slot}";
        var temp = final + ".tmp";
        Step(StorageOp.Create, $"create {temp}");
        var file = _disk.Create(temp, bytes.Length);
        Step(StorageOp.Write, $"write {temp}");
        bytes.CopyTo(file.LiveSpan(0, bytes.Length));
        Sync(file, temp);
        Step(StorageOp.Rename, $"rename {temp}");
        _disk.Rename(temp, final);
        SyncDirectory(Root);
    }

    public void Dispose()
    {
    }

    private void Step(StorageOp op, string what)
    {
        if (!_plan.Hits(op, what)) return;
        if (_plan.Crash is { } mode)
        {
            // The ledger stops first, then the disk is imaged: every call it counts as acknowledged
            // had its fsync done before the image (an image first would let another thread's
            // fsync and acknowledgment slip in between, and blame the engine for a loss it did
            // not cause; that was the rare "acknowledged record gone" of the crash loops).
            _plan.RaiseCrashed();
            lock (_random) _plan.CrashImage = _disk.Crash(mode, _random);
            return;
        }
        throw op == StorageOp.Flush
            ? new SyncFailedException(what, null, _plan.Errno)
            : new IOException($"{what}: {(_plan.Errno == FaultPlan.Enospc ? "No space left on device" : "Input/output error")} (injected)", _plan.Errno);
    }

    private void Sync(SimFile file, string name)
    {
        try
        {
            Step(StorageOp.Flush, $"fsync {name}");
        }
        catch
        {
            lock (_random) file.SyncSome(_random);
            throw;
        }
        if (!FsyncsLie) file.Sync();
    }

    private void SyncDirectory(string directory)
    {
        Step(StorageOp.Flush, $"fsync directory '{directory}'");
        if (!FsyncsLie) _disk.SyncDirectory(directory);
    }

    /// <summary>A mapping of a simulated file: its live bytes, synced through the medium.</summary>
    private sealed unsafe class SimRegion(FaultyMedium medium, SimFile file, string name) : MemoryRegion(file.Live, file.Length)
    {
        public SimFile File => file;

        public string Name => name;

        public override void Flush() => medium.Sync(file, name);

        public override void Dispose()
        {
            // The bytes belong to the disk, not to the mapping: they outlive it, as a file does.
        }
    }
}
