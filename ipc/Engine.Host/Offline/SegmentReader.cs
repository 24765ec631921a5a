using Engine.Log;
using Engine.Storage;
using System.Runtime.CompilerServices;

namespace Engine.Host.Offline;

/// <summary>What a segment walk found at its end: where it stopped, and what is wrong there if anything.</summary>
internal sealed record SegmentEnd(string File, long BasePosition, long Capacity, long EndOffset, string? Problem, long ProblemOffset);

/// <summary>
/// One segment file mapped read-only, its header checked, walked frame by frame with the engine's
/// own decoder (the checks recovery makes: lengths, positions, each entry's CRC-32C and the
/// frame's). The frames are read where they lie in the page cache: reading a 64 MiB segment into
/// an array cost more (fresh pages faulted in and zeroed, then copied into) than checking it.
/// <para>
/// A walk stops at the first frame that fails (a segment cannot be resynchronised after a bad
/// frame: its length cannot be trusted), at zeros (where writing stopped, not damage), or after
/// the seal. <see cref="End"/> then says what is wrong, if anything, with its byte offset.
/// </para>
/// </summary>
internal sealed class SegmentReader : IDisposable
{
    private readonly ReadOnlyView _view;
    private readonly string? _headerProblem;
    private readonly long _dataLength;
    private long _offset = SegmentHeader.Length;
    private bool _started;
    private bool _done;
    private string? _problem;

    private SegmentReader(string file, long basePosition, ReadOnlyView view)
    {
        File = file;
        BasePosition = basePosition;
        _view = view;
        if (!SegmentHeader.TryRead(view.Span(0, (int)Math.Min(view.Length, SegmentHeader.Length)), out var header, out var headerError))
            _headerProblem = $"segment header: {headerError}";
        else if (header.BasePosition != basePosition)
        {
            Capacity = header.Capacity;
            _headerProblem = $"segment header says base {header.BasePosition}, its name says {basePosition}";
        }
        else
        {
            Capacity = header.Capacity;
            _dataLength = Math.Min(view.Length, header.Capacity);
        }
        _done = _headerProblem is not null;
    }

    /// <summary>The file, relative to the store.</summary>
    public string File { get; }

    /// <summary>The log position of the file's byte 0, from its name.</summary>
    public long BasePosition { get; }

    /// <summary>The capacity the header gives (0 when the header cannot be read).</summary>
    public long Capacity { get; }

    /// <summary>Maps the segment file <paramref name="path"/> (named <paramref name="file"/> in problems) for one walk.</summary>
    public static SegmentReader Open(string file, string path, long basePosition)
    {
        var view = ReadOnlyView.Open(path, NativeFile.Access.Sequential);
        try
        {
            return new SegmentReader(file, basePosition, view);
        }
        catch
        {
            view.Dispose();
            throw;
        }
    }

    /// <summary>The current frame's header, once <see cref="MoveNext"/> found one.</summary>
    public FrameHeader Current { get; private set; }

    /// <summary>The current frame's byte offset in the file.</summary>
    public long CurrentOffset => _offset;

    /// <summary>The current frame's bytes, valid until the reader is disposed.</summary>
    public ReadOnlySpan<byte> CurrentBytes => _view.Span(_offset, Current.FrameLength);

    /// <summary>Moves to the next frame; false once the walk has ended (see <see cref="End"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a frame: see SegmentCheck.Run
    public bool MoveNext()
    {
        if (_done) return false;
        if (_started)
        {
            // The seal's offset is where the walk ends: nothing of the log follows it in this file.
            if (Current.Kind == FrameKind.Seal) return Stop();
            _offset += Current.FrameLength;
        }
        _started = true;
        if (_offset >= _dataLength) return Stop();
        var status = FrameDecoder.TryRead(_view.Span(_offset, (int)(_dataLength - _offset)), BasePosition + _offset, out var frame, out var error);
        if (status == FrameStatus.Empty) return Stop();
        if (status == FrameStatus.Invalid)
        {
            _problem = error;
            return Stop();
        }
        Current = frame;
        return true;
    }

    private bool Stop()
    {
        _done = true;
        return false;
    }

    /// <summary>
    /// What the walk found at its end: where it stopped, and the problem there if any. A segment
    /// file is made at its full capacity (sparse), so any other length is damage, even where the
    /// frames before it are whole: the bytes after a cut are gone, and bytes past the capacity
    /// were never part of the log (a copy tool's, or a careless append).
    /// </summary>
    public SegmentEnd End()
    {
        if (_headerProblem is not null) return new SegmentEnd(File, BasePosition, Capacity, 0, _headerProblem, 0);
        var problem = _problem;
        var problemOffset = _offset;
        var length = _view.Length;
        if (problem is null && length != Capacity)
        {
            problemOffset = Math.Min(length, Capacity);
            problem = length < Capacity
                ? $"the file is {length} bytes, shorter than its capacity {Capacity}: what followed byte {length} is gone"
                : $"the file is {length} bytes, longer than its capacity {Capacity}: the bytes after it are not part of the log";
        }
        return new SegmentEnd(File, BasePosition, Capacity, _offset, problem, problemOffset);
    }

    public void Dispose() => _view.Dispose();
}
