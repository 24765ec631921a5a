using System.Globalization;
using Engine.Log;

namespace Engine.Tests.Damage;

/// <summary>
/// The damage matrix: for every kind of file the engine writes (format-spec.md §2), bytes
/// appended, truncation at each boundary that matters, and bits flipped in each field. CI runs a
/// seeded sample of it (the cases every file kind must pass, plus random frames and offsets);
/// <c>ENGINE_DAMAGE_FULL=1</c> runs every frame of every segment.
/// </summary>
internal static class DamageCases
{
    public static bool Full => Environment.GetEnvironmentVariable("ENGINE_DAMAGE_FULL") == "1";

    /// <summary>Segment files: the header, every frame header field, entries, bodies, padding, seals, the end.</summary>
    public static List<DamageCase> Segments(DamageStore store, Random random, int framesPerSegment)
    {
        var cases = new List<DamageCase>();
        foreach (var segment in store.Layout.Segments)
        {
            var file = segment.Name;
            var b = segment.BasePosition;
            cases.Add(DamageCase.Append(file, 5000, random.Next()));
            cases.Add(DamageCase.Append(file, 1, random.Next()));
            cases.Add(DamageCase.Delete(file, b));
            foreach (var length in new long[] { 0, 1, 31, SegmentHeader.Length - 1 })
                cases.Add(DamageCase.Truncate(file, length, b, "inside the header"));
            cases.Add(DamageCase.Truncate(file, SegmentHeader.Length, b, "exactly the header"));
            cases.Add(DamageCase.Truncate(file, segment.DataEnd, b + segment.DataEnd, "after the last frame"));
            cases.Add(DamageCase.Truncate(file, segment.Capacity - 1, b + segment.Capacity - 1, "one byte short"));
            foreach (var (offset, field) in SegmentHeaderFields)
                cases.Add(DamageCase.Flip(file, offset, random.Next(8), b, $"header {field}"));
            foreach (var offset in new[] { segment.DataEnd, segment.DataEnd + 8, segment.DataEnd + 40, segment.Capacity - 1 })
                if (offset < segment.Capacity) cases.Add(DamageCase.Flip(file, offset, random.Next(8), b + offset, "zeros after the last frame"));
            foreach (var frame in PickFrames(segment, random, framesPerSegment))
                cases.AddRange(FrameCases(segment, frame, random));
        }
        return cases;
    }

    private static readonly (int Offset, string Field)[] SegmentHeaderFields =
        [(0, "magic"), (8, "version"), (10, "minVersion"), (12, "headerLength"), (16, "basePosition"), (24, "capacity"), (32, "createdAtMs"), (40, "reserved"), (60, "crc")];

    private static readonly (int Offset, string Field)[] FrameHeaderFields =
        [(0, "crc"), (4, "length"), (8, "position"), (16, "syncedUpTo"), (24, "entryCount"), (28, "kind"), (29, "flags"), (30, "reserved")];

    /// <summary>
    /// The frames worth aiming at: the first, the last batch, the seal, and one of each entry type
    /// met (topic creation, procs, relocated copies, prunes); then random others. Every frame in full mode.
    /// </summary>
    private static IEnumerable<FrameLayout> PickFrames(SegmentLayout segment, Random random, int extra)
    {
        if (Full) return segment.Frames;
        var picked = new List<FrameLayout>();
        if (segment.Frames.Count == 0) return picked;
        picked.Add(segment.Frames[0]);
        picked.Add(segment.Frames.Last(f => f.Kind == FrameKind.Batch));
        if (segment.IsSealed) picked.Add(segment.Frames[^1]);
        foreach (var type in segment.Frames.SelectMany(f => f.Entries.Select(e => e.Type)).Where(t => t != EntryType.Record).Distinct())
            picked.Add(segment.Frames.First(f => f.Entries.Any(e => e.Type == type)));
        for (var i = 0; i < extra; i++) picked.Add(segment.Frames[random.Next(segment.Frames.Count)]);
        return picked.Distinct();
    }

    private static IEnumerable<DamageCase> FrameCases(SegmentLayout segment, FrameLayout frame, Random random)
    {
        var file = segment.Name;
        var b = segment.BasePosition;
        var kind = frame.Kind == FrameKind.Seal ? "seal" : $"frame of {frame.Entries.Count} entries";
        var at = $"{kind} at {frame.Offset.ToString(CultureInfo.InvariantCulture)}";
        var lostFrom = b + frame.Offset;
        foreach (var cut in new[] { frame.Offset, frame.Offset + 8, frame.Offset + FrameHeader.Length - 1, frame.Offset + FrameHeader.Length, frame.Offset + frame.Length / 2, frame.End - 1 }.Distinct())
            yield return DamageCase.Truncate(file, cut, lostFrom, $"inside the {at}");
        foreach (var (offset, field) in FrameHeaderFields)
            yield return DamageCase.Flip(file, frame.Offset + offset, random.Next(8), lostFrom, $"{at}: {field}");
        foreach (var (entry, length, type) in frame.Entries.Take(2).Concat(frame.Entries.Skip(2).Take(1)))
        {
            yield return DamageCase.Flip(file, entry + EntryHeader.CrcOffset, random.Next(8), lostFrom, $"{at}: {type} entry crc");
            yield return DamageCase.Flip(file, entry + EntryHeader.LengthOffset, random.Next(8), lostFrom, $"{at}: {type} entry length");
            yield return DamageCase.Flip(file, entry + EntryHeader.TypeOffset, random.Next(8), lostFrom, $"{at}: {type} entry type");
            yield return DamageCase.Flip(file, entry + EntryHeader.Length + random.Next(length - EntryHeader.Length), random.Next(8), lostFrom, $"{at}: {type} entry body");
            if (length % 8 != 0) yield return DamageCase.Flip(file, entry + length, random.Next(8), lostFrom, $"{at}: {type} entry padding");
        }
    }

    /// <summary>Index chunks: header fields, slots (position, timestamp, check), cut short, grown, missing.</summary>
    public static List<DamageCase> IndexChunks(DamageStore store, Random random)
    {
        var cases = new List<DamageCase>();
        foreach (var file in store.Files.Names.Where(n => n.EndsWith(".idx", StringComparison.Ordinal)))
        {
            var slots = (store.Files.Bytes(file).AsSpan().LastIndexOfAnyExcept((byte)0) + 1 - 64) / 16;
            cases.Add(DamageCase.Append(file, 100, random.Next()));
            cases.Add(DamageCase.Delete(file, null));
            foreach (var length in new long[] { 0, 30, 64, 64 + 16 * (slots / 2) + 5, 64 + 16 * slots - 1 })
                cases.Add(DamageCase.Truncate(file, Math.Max(0, length), null, "slots cut off"));
            foreach (var (offset, field) in new[] { (0, "magic"), (8, "version"), (10, "minVersion"), (12, "headerLength"), (16, "topicId"), (20, "chunk"), (24, "slots"), (28, "slotSize"), (32, "reserved"), (60, "crc") })
                cases.Add(DamageCase.Flip(file, offset, random.Next(8), null, $"header {field}"));
            foreach (var slot in new[] { 0, slots - 1, random.Next(Math.Max(1, slots)) }.Distinct())
                foreach (var (offset, field) in new[] { (0, "position"), (6, "timestamp"), (12, "check") })
                    cases.Add(DamageCase.Flip(file, 64 + slot * 16 + offset + random.Next(offset == 12 ? 4 : 6), random.Next(8), null, $"slot {slot} {field}"));
        }
        return cases;
    }

    /// <summary>Checkpoint slots: header fields, payload (topics, procs, system procs, catalog), cut short, grown, missing.</summary>
    public static List<DamageCase> Checkpoints(DamageStore store, Random random)
    {
        var cases = new List<DamageCase>();
        foreach (var file in store.Files.Names.Where(n => n.StartsWith("checkpoint.", StringComparison.Ordinal)))
        {
            var length = store.Files.LengthOf(file);
            cases.Add(DamageCase.Append(file, 1, random.Next()));
            cases.Add(DamageCase.Append(file, 100, random.Next()));
            cases.Add(DamageCase.Delete(file, null));
            foreach (var cut in new[] { 0, 20, 47, 48, 48 + (length - 48) / 2, length - 8, length - 1 })
                cases.Add(DamageCase.Truncate(file, cut, null, "cut short"));
            foreach (var (offset, field) in new[] { (0, "magic"), (8, "version"), (10, "minVersion"), (12, "headerLength"), (16, "generation"), (24, "logPosition"), (32, "payloadLength"), (36, "flags"), (40, "payloadCrc"), (44, "headerCrc") })
                cases.Add(DamageCase.Flip(file, offset + random.Next(2), random.Next(8), null, $"header {field}"));
            cases.Add(DamageCase.Flip(file, length - 1, random.Next(8), null, "the segment catalog's last base"));
            for (var i = 0; i < 8; i++)
            {
                var offset = 48 + random.NextInt64(length - 48);
                cases.Add(DamageCase.Flip(file, offset, random.Next(8), null, "payload"));
            }
        }
        return cases;
    }

    /// <summary>
    /// Files a crash or a person leaves beside the store's own: a staged <c>.seg.deleted</c>, a retired
    /// segment the GC had not unlinked (whole or damaged), half-made <c>.tmp</c> files, a LOCK with junk in it.
    /// </summary>
    public static List<DamageCase> Leftovers(DamageStore store, Random random)
    {
        var cases = new List<DamageCase>();
        var segments = store.Layout.Segments;
        var retired = new List<long>();
        for (var i = 0; i + 1 < segments.Count; i++)
            for (var hole = segments[i].BasePosition + segments[i].Capacity; hole < segments[i + 1].BasePosition; hole += LogEngineOptions.MinSegmentSize)
                retired.Add(hole);
        Assert.NotEmpty(retired); // the GC left holes: the catalog must tell them from lost segments
        var junk = new byte[3000];
        random.NextBytes(junk);
        var template = store.Files.Bytes(segments[0].Name);
        foreach (var hole in retired.Take(2))
        {
            var name = $"log/{hole.ToString("D20", CultureInfo.InvariantCulture)}.seg";
            var header = RetiredSegment(template, hole);
            cases.Add(DamageCase.Add(name + ".deleted", header, "a staged deletion, whole"));
            cases.Add(DamageCase.Add(name + ".deleted", header[..40], "a staged deletion, cut short"));
            cases.Add(DamageCase.Add(name + ".deleted", junk, "a staged deletion, junk"));
            cases.Add(DamageCase.Add(name, header, "a retired segment the GC had not unlinked"));
            cases.Add(DamageCase.Add(name, header[..SegmentHeader.Length], "a retired segment, cut to its header"));
            cases.Add(DamageCase.Add(name, junk, "a retired segment, junk"));
        }
        var next = segments[^1].BasePosition + segments[^1].Capacity;
        cases.Add(DamageCase.Add($"log/{next.ToString("D20", CultureInfo.InvariantCulture)}.seg.tmp", junk, "a half-made segment"));
        cases.Add(DamageCase.Add("checkpoint.0.tmp", junk, "a half-made checkpoint"));
        cases.Add(DamageCase.Add("checkpoint.1.tmp", [], "an empty half-made checkpoint"));
        cases.Add(DamageCase.Add("index/00000009-00000000.idx.tmp", junk, "junk"));
        cases.Add(DamageCase.Add("LOCK", junk, "junk in the lock file"));
        cases.Add(DamageCase.Add("LOCK", [], "an empty lock file"));
        return cases;
    }

    /// <summary>A segment as the GC left it: the template's frames under a header for <paramref name="basePosition"/>.</summary>
    private static byte[] RetiredSegment(byte[] template, long basePosition)
    {
        var bytes = template[..(int)Math.Min(template.Length, 256 * 1024)];
        var header = SegmentHeader.TryRead(bytes, out var h, out _) ? h : throw new InvalidOperationException("template header");
        (header with { BasePosition = basePosition }).Write(bytes);
        return bytes;
    }

    /// <summary>A seeded sample of at most <paramref name="count"/> cases (all of them in full mode).</summary>
    public static List<DamageCase> Sample(List<DamageCase> cases, Random random, int count) =>
        Full || cases.Count <= count ? cases : [.. cases.OrderBy(_ => random.Next()).Take(count)];
}
