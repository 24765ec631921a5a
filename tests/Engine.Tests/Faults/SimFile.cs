using System.Runtime.InteropServices;

namespace Engine.Tests.Faults;

/// <summary>
/// One file of a <see cref="SimulatedDisk"/> (an inode): the bytes every reader and mapping sees
/// now (<see cref="Live"/>, as in the page cache), and the bytes a crash is sure to leave
/// (the durable copy, as on the platter). A sync copies the one into the other; a crash
/// keeps some or none of the difference, page by page, as a real disk may.
/// Syncs take the disk's lock, as a crash does: a crash sees each sync whole or not at all, and
/// every file as of one instant.
/// </summary>
internal sealed unsafe class SimFile : IDisposable
{
    public const int PageSize = 4096;

    private readonly byte[] _durable;
    private readonly Lock _disk;

    public SimFile(Lock disk, long length, ReadOnlySpan<byte> durableContent = default)
    {
        _disk = disk;
        Length = length;
        Live = (byte*)NativeMemory.AllocZeroed((nuint)length);
        _durable = new byte[length];
        durableContent.CopyTo(_durable);
        durableContent.CopyTo(LiveSpan(0, durableContent.Length));
    }

    public long Length { get; }

    /// <summary>The file's current bytes; mappings of it point here.</summary>
    public byte* Live { get; }

    public Span<byte> LiveSpan(long offset, int length) => new(Live + offset, length);

    /// <summary>An fsync that worked: everything written is durable.</summary>
    public void Sync()
    {
        lock (_disk) LiveSpan(0, (int)Length).CopyTo(_durable);
    }

    /// <summary>An fsync that failed: the kernel may have written any of the dirty pages before it gave up.</summary>
    public void SyncSome(Random random)
    {
        lock (_disk)
            foreach (var page in DirtyPages())
                if (random.Next(2) == 0) CopyPage(page, _durable);
    }

    /// <summary>The bytes a crash leaves of this file (the caller holds the disk's lock).</summary>
    public byte[] AfterCrash(CrashMode mode, Random random)
    {
        var result = (byte[])_durable.Clone();
        var dirty = DirtyPages().ToList();
        for (var i = 0; i < dirty.Count; i++)
        {
            switch (mode)
            {
                case CrashMode.KeepAll:
                    CopyPage(dirty[i], result);
                    break;
                case CrashMode.RandomPages when random.Next(2) == 0:
                    CopyPage(dirty[i], result);
                    break;
                case CrashMode.TornLastPage:
                    if (i < dirty.Count - 1) CopyPage(dirty[i], result);
                    else TearPage(dirty[i], result, random);
                    break;
            }
        }
        return result;
    }

    private IEnumerable<long> DirtyPages()
    {
        for (long page = 0; page < Length; page += PageSize)
        {
            var size = (int)Math.Min(PageSize, Length - page);
            if (!LiveSpan(page, size).SequenceEqual(_durable.AsSpan((int)page, size))) yield return page;
        }
    }

    private void CopyPage(long page, byte[] into)
    {
        var size = (int)Math.Min(PageSize, Length - page);
        LiveSpan(page, size).CopyTo(into.AsSpan((int)page, size));
    }

    /// <summary>A page written only in part: its first 512-byte sectors made it, the rest did not.</summary>
    private void TearPage(long page, byte[] into, Random random)
    {
        var size = (int)Math.Min(PageSize, Length - page);
        var kept = random.Next(size / 512 + 1) * 512;
        LiveSpan(page, Math.Min(kept, size)).CopyTo(into.AsSpan((int)page, Math.Min(kept, size)));
    }

    public void Dispose() => NativeMemory.Free(Live);
}
