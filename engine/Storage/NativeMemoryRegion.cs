using System.Runtime.InteropServices;

namespace Engine.Storage;

/// <summary>Zeroed native memory: the in-memory store's segments and index chunks.</summary>
internal sealed unsafe class NativeMemoryRegion : MemoryRegion
{
    private NativeMemoryRegion(byte* pointer, long length)
        : base(pointer, length)
    {
    }

    public static NativeMemoryRegion Allocate(long length) =>
        // calloc leaves untouched pages unbacked, so a large, mostly empty segment costs little.
        new((byte*)NativeMemory.AllocZeroed((nuint)length), length);

    public override void Flush()
    {
    }

    public override void Dispose() => NativeMemory.Free(Pointer);
}
