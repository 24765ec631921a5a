namespace Engine.Log;

/// <summary>
/// Where the bodies of one read are copied: consecutive slices of shared blocks instead of an
/// array per record, so a read of many small records allocates a few blocks, not one array
/// each. A block is sized to what the rest of the read is expected to need (at most 64 KiB), so
/// reading one record allocates about its size. An entry kept alive keeps its block alive.
/// </summary>
internal struct BodyBlocks
{
    private const int MaxBlock = 64 * 1024;
    private byte[]? _block;
    private int _used;

    /// <summary>Copies <paramref name="body"/>; <paramref name="remaining"/> counts the records still to read, this one included.</summary>
    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> body, long remaining)
    {
        if (body.IsEmpty) return ReadOnlyMemory<byte>.Empty;
        if (body.Length > MaxBlock / 4) return body.ToArray();
        if (_block is null || _used + body.Length > _block.Length)
        {
            _block = new byte[(int)Math.Clamp(body.Length * remaining, body.Length, MaxBlock)];
            _used = 0;
        }
        body.CopyTo(_block.AsSpan(_used));
        var copy = new ReadOnlyMemory<byte>(_block, _used, body.Length);
        _used += body.Length;
        return copy;
    }
}
