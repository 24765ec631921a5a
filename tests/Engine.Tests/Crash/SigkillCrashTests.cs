using Engine.Tests.Support;

namespace Engine.Tests.Crash;

/// <summary>
/// A child process commits random batches across two topics under Durability.Always and prints
/// each batch it got an ack for; it is SIGKILLed at a random moment, the store is reopened, and
/// every acknowledged batch must be there, no batch may be partial, and seqs must be contiguous.
/// </summary>
public sealed class SigkillCrashTests
{
    private const int Cycles = 20;

    [Fact]
    public async Task Every_acknowledged_batch_survives_sigkill_and_no_batch_is_partial()
    {
        using var dir = new TempDirectory();
        var random = new Random(20261124);
        var acknowledged = new Dictionary<long, int>();
        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            await using (var child = ChildProcess.Start("commit-loop", dir.Path, random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                Assert.Equal("READY", await child.ReadLineAsync(TimeSpan.FromSeconds(30)));
                // Kill after a random number of acks, at a random point in the stream of commits.
                var acksBeforeKill = random.Next(1, 200);
                for (var i = 0; i < acksBeforeKill; i++) Record(await child.ReadLineAsync(TimeSpan.FromSeconds(30)), acknowledged);
                child.Kill();
                foreach (var line in child.DrainLines()) Record(line, acknowledged);
            }
            await VerifyAsync(dir, acknowledged, cycle);
        }
    }

    private static void Record(string? line, Dictionary<long, int> acknowledged)
    {
        Assert.NotNull(line);
        var parts = line.Split(' ');
        Assert.Equal("ACK", parts[0]);
        acknowledged[long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)] = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task VerifyAsync(TempDirectory dir, Dictionary<long, int> acknowledged, int cycle)
    {
        await using var engine = LogEngine.Open(dir.Path);
        var seen = new Dictionary<long, HashSet<int>>();
        var sizes = new Dictionary<long, int>();
        foreach (var topic in new[] { "a", "b" })
        {
            IReadOnlyList<LogEntry> entries;
            try
            {
                entries = await engine.RangeAsync(topic);
            }
            catch (LogEngineException e) when (e.Code == LogEngineError.InvalidTopic)
            {
                continue;
            }
            for (var i = 0; i < entries.Count; i++)
            {
                Assert.EndsWith($"-{i}", entries[i].Id); // contiguous seqs from 0
                var (batch, index, count) = CrashRecord.Decode(entries[i].Body.Span);
                Assert.True(CrashRecord.PaddingIntact(entries[i].Body.Span, batch), $"cycle {cycle}: body of {entries[i].Id} damaged");
                Assert.True(seen.GetValueOrDefault(batch)?.Contains(index) != true, $"cycle {cycle}: batch {batch} record {index} twice");
                (seen.TryGetValue(batch, out var indexes) ? indexes : seen[batch] = []).Add(index);
                sizes[batch] = count;
            }
            Assert.Equal(entries.Count, await engine.LengthAsync(topic));
        }
        foreach (var (batch, indexes) in seen)
            Assert.True(indexes.Count == sizes[batch], $"cycle {cycle}: batch {batch} is partial: {indexes.Count} of {sizes[batch]} records");
        foreach (var (batch, count) in acknowledged)
        {
            Assert.True(seen.ContainsKey(batch), $"cycle {cycle}: acknowledged batch {batch} is lost");
            Assert.Equal(count, seen[batch].Count);
        }
    }
}
