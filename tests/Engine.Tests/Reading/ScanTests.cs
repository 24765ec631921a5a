using System.Text;
using Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Engine.Tests.Reading;

/// <summary>
/// LogEngine.Scan: a topic read in order in-process, a page at a time, without an object per
/// record. It yields what RangeAsync returns (ids, bodies, bounds, errors), across pages of many
/// records and pages of large bodies; the engine may be called from inside its loop; damage is
/// Corrupted; records pruned while it runs are skipped, never misread.
/// </summary>
public sealed class ScanTests
{
    public static TheoryData<string> Kinds => StoreKind.Engines;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task It_yields_what_a_range_returns_across_pages_of_many_records_and_of_large_bodies(string kind)
    {
        using var dir = new TempDirectory();
        await using var engine = StoreKind.Named(kind).OpenEngine(dir);
        // 3,000 small records (three pages by count), then 600 of 1 KiB (pages by bytes), one of 1 MiB (bigger than a page).
        await engine.CommitAsync([.. Enumerable.Range(0, 3000).Select(i => new CommitLog("t", Encoding.UTF8.GetBytes($"small {i}")))]);
        await engine.CommitAsync([.. Enumerable.Range(0, 600).Select(i => new CommitLog("t", Filled(1024, i)))]);
        await engine.CommitAsync("t", Filled(1024 * 1024, 7));
        await engine.CommitAsync("other", "not in t"u8.ToArray());
        var expected = await engine.RangeAsync("t");

        var seen = Collect(engine, "t");

        Assert.Equal(expected.Count, seen.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Id, seen[i].Id);
            Assert.Equal(expected[i].Body.ToArray(), seen[i].Body);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Bounds_limits_and_exclusive_ends_select_what_they_select_in_a_range(string kind)
    {
        using var dir = new TempDirectory();
        await using var engine = StoreKind.Named(kind).OpenEngine(dir);
        var ids = new List<string>();
        for (var i = 0; i < 50; i++) ids.Add(await engine.CommitAsync("t", Encoding.UTF8.GetBytes($"r{i}")));
        RangeOptions[] cases =
        [
            new() { Start = ":10" },
            new() { Start = ":10", End = ":20" },
            new() { Start = ":10", End = ":20", Exclusive = true },
            new() { Start = ids[5], Limit = 7 },
            new() { End = ids[3] },
            new() { Start = ":49" },
            new() { Start = ":30", End = ":20" },
        ];
        foreach (var options in cases)
        {
            var expected = (await engine.RangeAsync("t", options)).Select(e => e.Id).ToList();
            Assert.Equal(expected, Collect(engine, "t", options).Select(r => r.Id).ToList());
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Bad_topics_and_bounds_fail_as_a_range_does(string kind)
    {
        using var dir = new TempDirectory();
        await using var engine = StoreKind.Named(kind).OpenEngine(dir);
        await engine.CommitAsync("t", "x"u8.ToArray());

        Assert.Equal(LogEngineError.InvalidTopic, Assert.Throws<LogEngineException>(() => engine.Scan("never")).Code);
        Assert.Equal(LogEngineError.SequenceNotFound, Assert.Throws<LogEngineException>(() => engine.Scan("t", new RangeOptions { Start = ":5" })).Code);
        Assert.Equal(LogEngineError.InvalidArgument, Assert.Throws<LogEngineException>(() => engine.Scan("t", new RangeOptions { Limit = -2 })).Code);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_range_is_fixed_when_it_starts_and_the_loop_may_call_the_engine(string kind)
    {
        using var dir = new TempDirectory();
        await using var engine = StoreKind.Named(kind).OpenEngine(dir);
        await engine.CommitAsync([.. Enumerable.Range(0, 2500).Select(i => new CommitLog("t", Encoding.UTF8.GetBytes($"{i}")))]);

        var count = ScanCallingTheEngine(engine);

        Assert.Equal(2500, count);
        Assert.Equal(2505, await engine.LengthAsync("t"));
    }

    /// <summary>Reads and writes from inside the loop (a scan is synchronous, so this is too): the scan holds nothing between its pages.</summary>
    private static int ScanCallingTheEngine(LogEngine engine)
    {
        var count = 0;
        foreach (var record in engine.Scan("t"))
        {
            var again = engine.RangeAsync("t", new RangeOptions { Start = $":{record.Seq}", Limit = 1 }).AsTask().GetAwaiter().GetResult();
            Assert.Equal(record.Id, again[0].Id);
            if (count % 500 == 0) engine.CommitAsync("t", "later"u8.ToArray()).AsTask().GetAwaiter().GetResult();
            count++;
        }
        return count;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task An_id_formatted_into_a_buffer_is_the_id_string(string kind)
    {
        using var dir = new TempDirectory();
        await using var engine = StoreKind.Named(kind).OpenEngine(dir);
        var id = await engine.CommitAsync("t", "x"u8.ToArray());
        var buffer = new char[40];
        foreach (var record in engine.Scan("t"))
        {
            Assert.True(record.TryFormatId(buffer, out var written));
            Assert.Equal(id, new string(buffer, 0, written));
            Assert.Equal(id, record.Id);
            Assert.False(record.TryFormatId(buffer.AsSpan(0, id.Length - 1), out _));
        }
    }

    [Fact]
    public async Task A_scan_allocates_per_page_not_per_record()
    {
        await using var engine = LogEngine.OpenInMemory();
        await engine.CommitAsync([.. Enumerable.Range(0, 10_000).Select(i => new CommitLog("t", new byte[100]))]);
        var warm = SumSeqs(engine); // the first scan rents the pool's buffers

        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = SumSeqs(engine);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(warm, sum);
        // Ten pages: a few hundred bytes each. A LogEntry, or a closure, per record would be 400 KB or more.
        Assert.True(allocated < 16 * 1024, $"scanning 10,000 records allocated {allocated:N0} bytes");
    }

    private static long SumSeqs(LogEngine engine)
    {
        long sum = 0;
        foreach (var record in engine.Scan("t")) sum += record.Seq + record.Body.Length;
        return sum;
    }

    [Fact]
    public async Task A_damaged_record_is_corrupted_naming_its_segment()
    {
        using var dir = new TempDirectory();
        await using (var engine = LogEngine.Open(dir.Path, new LogEngineOptions { Workers = 0 }))
        {
            for (var i = 0; i < 10; i++) await engine.CommitAsync("t", Encoding.UTF8.GetBytes($"record-{i:D4}-payload"));
        }
        var segment = Directory.GetFiles(dir.Path, "*.seg", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(segment);
        var at = bytes.AsSpan().IndexOf("record-0005-payload"u8);
        Assert.True(at > 0);
        bytes[at + 3] ^= 0xFF;
        File.WriteAllBytes(segment, bytes);

        await using var reopened = LogEngine.Open(dir.Path, new LogEngineOptions { Workers = 0 });
        var read = new List<long>();
        var error = Assert.Throws<LogEngineException>(() =>
        {
            foreach (var record in reopened.Scan("t")) read.Add(record.Seq);
        });

        Assert.Equal(LogEngineError.Corrupted, error.Code);
        Assert.Contains(Path.GetFileName(segment), error.Message);
        Assert.Empty(read); // the page holding the damage is refused whole: no record of it is handed out
    }

    [Fact]
    public async Task Records_the_gc_prunes_while_a_scan_runs_are_skipped_not_misread()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var options = new LogEngineOptions
        {
            TimeProvider = clock,
            SegmentSize = LogEngineOptions.MinSegmentSize,
            Gc = new GcOptions { MinPruneTime = TimeSpan.FromSeconds(30), Interval = TimeSpan.FromDays(1) },
            Workers = 0,
        };
        await using var engine = LogEngine.Open(dir.Path, options);
        await engine.CommitAsync([.. Enumerable.Range(0, 3000).Select(i => new CommitLog("t", Encoding.UTF8.GetBytes($"old {i}")))]);
        clock.Advance(TimeSpan.FromMinutes(1));
        await engine.CommitAsync([.. Enumerable.Range(0, 10).Select(i => new CommitLog("t", Encoding.UTF8.GetBytes($"new {i}")))]);

        var (seen, report) = ScanWithGcAfterFirstRecord(engine);

        Assert.True(report.RecordsPruned >= 3000, $"the GC pruned {report.RecordsPruned}");
        // The first page (read before the GC) and then the kept records; every record is the one its seq names.
        Assert.All(seen, r => Assert.Equal(r.Seq < 3000 ? $"old {r.Seq}" : $"new {r.Seq - 3000}", r.Body));
        Assert.Equal(Enumerable.Range(3000, 10).Select(s => (long)s), seen.Select(r => r.Seq).Where(s => s >= 3000));
        Assert.True(seen.Count < 3010, "records pruned before their page was read were handed out");
        Assert.Equal(seen.Select(r => r.Seq).Order(), seen.Select(r => r.Seq));
    }

    /// <summary>Reads the first record, runs the GC, reads the rest (a scan lives on one thread, between no awaits).</summary>
    private static (List<(long Seq, string Body)> Seen, GcReport Report) ScanWithGcAfterFirstRecord(LogEngine engine)
    {
        var seen = new List<(long Seq, string Body)>();
        using var scan = engine.Scan("t");
        Assert.True(scan.MoveNext());
        seen.Add((scan.Current.Seq, Encoding.UTF8.GetString(scan.Current.Body)));
        var report = engine.CollectGarbageAsync().AsTask().GetAwaiter().GetResult();
        while (scan.MoveNext()) seen.Add((scan.Current.Seq, Encoding.UTF8.GetString(scan.Current.Body)));
        return (seen, report);
    }

    private static byte[] Filled(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static List<(string Id, byte[] Body)> Collect(LogEngine engine, string topic, RangeOptions? options = null)
    {
        var seen = new List<(string, byte[])>();
        foreach (var record in engine.Scan(topic, options)) seen.Add((record.Id, record.Body.ToArray()));
        return seen;
    }
}
