using System.Buffers;

namespace Engine.Gc;

/// <summary>
/// Holds the copies of the bodies a compaction moves, packed into pooled blocks. One array per
/// record (tens of thousands of them in one GC run) was enough garbage to set off a gen2
/// collection in the middle of the run, a pause every committer felt; pooled blocks are reused
/// from one run to the next.
/// </summary>
internal sealed class CopyArena : IDisposable
{
    private const int BlockSize = 1024 * 1024;
    private readonly List<byte[]> _blocks = [];
    private byte[]? _current;
    private int _used;

    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> body)
    {
        if (_current is null || BlockSize - _used < body.Length)
        {
            _current = ArrayPool<byte>.Shared.Rent(Math.Max(BlockSize, body.Length));
            _blocks.Add(_current);
            _used = 0;
        }
        var copy = _current.AsMemory(_used, body.Length);
        body.CopyTo(copy.Span);
        _used += body.Length;
        return copy;
    }

    public void Dispose()
    {
        foreach (var block in _blocks) ArrayPool<byte>.Shared.Return(block);
        _blocks.Clear();
        _current = null;
    }
}
