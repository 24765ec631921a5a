using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Extensions.ObjectPool;

namespace Engine.Ipc.Protocol;

/// <summary>
/// One outgoing frame being built: the header is reserved first and its length patched in when
/// the payload is done. Buffers are pooled (Microsoft.Extensions.ObjectPool) so a busy connection
/// does not allocate one per frame; a buffer that grew huge for one big frame is not kept.
/// </summary>
internal sealed class FrameBuffer
{
    private const int RetainAtMost = 1024 * 1024;
    private static readonly ObjectPool<FrameBuffer> Pool = new DefaultObjectPool<FrameBuffer>(new Policy(), 256);

    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    private FrameBuffer() => Writer = new WireWriter(_buffer);

    public WireWriter Writer { get; }

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    /// <summary>A request's client span, ended when its answer comes; null when nobody listens.</summary>
    public System.Diagnostics.Activity? Span { get; set; }

    public static FrameBuffer Start(FrameKind kind, uint requestId)
    {
        var frame = Pool.Get();
        frame.Writer.U32(0); // length, patched by Finish
        frame.Writer.U8((byte)kind);
        frame.Writer.U32(requestId);
        return frame;
    }

    /// <summary>Patches the length; the frame is ready to send.</summary>
    public FrameBuffer Finish()
    {
        var bytes = MemoryMarshal.AsMemory(_buffer.WrittenMemory).Span;
        BinaryPrimitives.WriteInt32LittleEndian(bytes, bytes.Length - Wire.LengthPrefix);
        return this;
    }

    public void Return() => Pool.Return(this);

    private sealed class Policy : PooledObjectPolicy<FrameBuffer>
    {
        public override FrameBuffer Create() => new();

        public override bool Return(FrameBuffer frame)
        {
            if (frame._buffer.Capacity > RetainAtMost) return false;
            frame._buffer.ResetWrittenCount();
            frame.Span = null;
            return true;
        }
    }
}
