using System.CommandLine;
using System.Globalization;
using System.Text;
using Engine.Host.Offline;
using Engine.Log;
using Spectre.Console;

namespace Engine.Host.Cli;

/// <summary>
/// The verbs that read a store's files directly, with no engine open: <c>verify</c>, <c>dump</c>,
/// and <c>repair</c> (which then opens it to repair). They take <c>--path</c> only.
/// </summary>
internal static class OfflineCommands
{
    private static readonly Option<string> Path = new("--path") { Description = "The store's directory", Required = true };
    private static readonly Option<bool> Json = new("--json") { Description = "Write JSON for scripts" };
    private static readonly Option<long?> Segment = new("--segment") { Description = "Only the segment with this base position (its file name)" };
    private static readonly Option<string?> Topic = new("--topic") { Description = "Only the frames that hold records of this topic" };
    private static readonly Option<bool> Bodies = new("--bodies") { Description = "Print each record's body too (text, or base64)" };

    public static Command CreateVerify(CliIo io)
    {
        var command = new Command("verify", """
            Check a store offline: every checkpoint, every frame of every segment (lengths, positions, CRC-32C of each entry and frame) and every kept record's index slot.
            Prints each problem with its file and byte offset, then a summary. Exit code 0: clean; 1: damaged. Run it on a store no host holds.
            Example: engine verify --path data        engine verify --path data --json
            """) { Path, Json };
        command.SetAction((result, ct) => Guarded(io, "verify", () =>
        {
            var files = StoreFiles.Find(result.GetValue(Path)!);
            if (files.IsHeld())
                io.Err.WriteLine($"engine verify: {Storage.DirectoryLock.DescribeHolder(files.Root)} holds this store: a frame it is writing may show as damage at the log's end (stop it for an exact answer, or ask it with --namespace)");
            var total = files.Segments.Values.Sum(f => new FileInfo(f).Length);
            VerifyReport report;
            if (io.Interactive && !result.GetValue(Json) && total > 256L << 20)
            {
                report = null!;
                io.Console.Progress().Start(context =>
                {
                    var task = context.AddTask("verifying", maxValue: total);
                    report = Verifier.Run(files, bytes => task.Value = bytes);
                });
            }
            else report = Verifier.Run(files);
            if (result.GetValue(Json)) Output.Json(io, report);
            else
            {
                foreach (var problem in report.Problems) io.Out.WriteLine($"{problem.File} @{problem.Offset}: {problem.What}");
                io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(report.Clean ? "clean" : $"DAMAGED: {report.Problems.Count} problems")}: {report.Checkpoints} checkpoints, {report.Segments} segments, {report.Frames:N0} frames, {report.Records:N0} records, {report.IndexChunks} index chunks checked"));
            }
            return report.Clean ? ExitCodes.Ok : ExitCodes.Damaged;
        }));
        return command;
    }

    public static Command CreateDump(CliIo io)
    {
        var command = new Command("dump", """
            Print a store's frames and entries with their offsets, like kafka-dump-log (format-spec.md names every field).
            One line a frame: file@offset, log position, length, kind, entries, syncedUpTo, crc; then one indented line an entry.
            Example: engine dump --path data --segment 0        engine dump --path data --topic numbers --bodies
            """) { Path, Segment, Topic, Bodies, Json };
        command.SetAction((result, ct) => Guarded(io, "dump", () =>
        {
            var files = StoreFiles.Find(result.GetValue(Path)!);
            var onlyTopic = result.GetValue(Topic);
            var bodies = result.GetValue(Bodies);
            var json = result.GetValue(Json);
            var names = new Dictionary<uint, string>();
            var damaged = false;
            foreach (var (frame, end) in LogWalker.Walk(files, result.GetValue(Segment)))
            {
                if (end is not null)
                {
                    if (end.Problem is not null)
                    {
                        damaged = true;
                        if (json) Output.JsonLine(io, new { file = end.File, offset = end.ProblemOffset, problem = end.Problem });
                        else io.Out.WriteLine($"{end.File}@{end.ProblemOffset} DAMAGED: {end.Problem}");
                    }
                    else if (!json) io.Out.WriteLine($"{end.File}: end of frames at {end.EndOffset} of {end.Capacity}");
                    continue;
                }
                var f = frame!.Value;
                var entries = LogWalker.Entries(f.Bytes);
                foreach (var (type, _, _, entry) in entries)
                    if (type == EntryType.TopicCreated) { var (id, name) = LogWalker.TopicCreated(entry); names[id] = name; }
                if (onlyTopic is not null && !entries.Any(e => e.Type == EntryType.Record && names.GetValueOrDefault(RecordEntry.TopicId(e.Entry)) == onlyTopic)) continue;
                var described = entries
                    .Where(e => onlyTopic is null || e.Type != EntryType.Record || names.GetValueOrDefault(RecordEntry.TopicId(e.Entry)) == onlyTopic)
                    .Select(e => (e.Offset, Fields: Describe(e.Type, e.Flags, e.Entry, names, bodies))).ToList();
                if (json)
                {
                    Output.JsonLine(io, new
                    {
                        file = f.File, offset = f.FileOffset, position = f.Position, length = f.Header.FrameLength, kind = f.Header.Kind.ToString(),
                        syncedUpTo = f.Header.SyncedUpTo, crc = f.Header.Crc, entries = described.Select(d => new { offset = d.Offset, fields = d.Fields }),
                    });
                    continue;
                }
                io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{f.File}@{f.FileOffset} position {f.Position} length {f.Header.FrameLength} {f.Header.Kind} entries {f.Header.EntryCount} syncedUpTo {f.Header.SyncedUpTo} crc {f.Header.Crc:x8}"));
                foreach (var (offset, fields) in described)
                    io.Out.WriteLine("  +" + offset.ToString(CultureInfo.InvariantCulture) + " " + string.Join(' ', fields.Select(kv => $"{kv.Key}={kv.Value}")));
            }
            return damaged ? ExitCodes.Damaged : ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>An entry's fields by the names format-spec.md gives them.</summary>
    private static Dictionary<string, string> Describe(EntryType type, byte flags, byte[] entry, Dictionary<uint, string> names, bool bodies)
    {
        var invariant = CultureInfo.InvariantCulture;
        var fields = new Dictionary<string, string> { ["type"] = type.ToString(), ["length"] = entry.Length.ToString(invariant) };
        if (flags != 0) fields["flags"] = flags.ToString(invariant);
        switch (type)
        {
            case EntryType.Record:
                var topic = RecordEntry.TopicId(entry);
                fields["topic"] = names.TryGetValue(topic, out var name) ? $"{topic}({name})" : topic.ToString(invariant);
                fields["seq"] = RecordEntry.Seq(entry).ToString(invariant);
                fields["ts"] = RecordEntry.Timestamp(entry).ToString(invariant);
                var body = entry.AsSpan(RecordEntry.BodyOffset);
                fields["bodyLength"] = body.Length.ToString(invariant);
                if (bodies) fields["body"] = System.Text.Unicode.Utf8.IsValid(body) ? Encoding.UTF8.GetString(body) : "base64:" + Convert.ToBase64String(body);
                break;
            case EntryType.TopicCreated:
                var (id, topicName) = LogWalker.TopicCreated(entry);
                fields["topicId"] = id.ToString(invariant);
                fields["name"] = topicName;
                break;
            case EntryType.TopicPruned:
                fields["topicId"] = TopicPrunedEntry.TopicId(entry).ToString(invariant);
                fields["firstKeptSeq"] = TopicPrunedEntry.FirstKeptSeq(entry).ToString(invariant);
                break;
            case EntryType.ProcCreated:
                var proc = Procs.ProcEntries.ReadCreated(entry);
                fields["procId"] = proc.Id.ToString(invariant);
                fields["name"] = proc.Name;
                fields["topic"] = proc.Topic;
                fields["offset"] = proc.Offset;
                fields["strategy"] = proc.OnMaxReclaimsReached.ToString();
                if (proc.DeadLetterTopic is not null) fields["deadLetterTopic"] = proc.DeadLetterTopic;
                break;
            case EntryType.ProcClaimed:
                var (range, at) = Procs.ProcEntries.ReadClaimed(entry);
                fields["procId"] = Procs.ProcEntries.ProcId(entry).ToString(invariant);
                fields["firstSeq"] = range.FirstSeq.ToString(invariant);
                fields["lastSeq"] = range.LastSeq.ToString(invariant);
                fields["atMs"] = at.ToString(invariant);
                break;
            case EntryType.ProcAcked or EntryType.ProcReclaimed:
                fields["procId"] = Procs.ProcEntries.ProcId(entry).ToString(invariant);
                fields["atMs"] = Procs.ProcEntries.ReadTime(entry).ToString(invariant);
                break;
            case EntryType.ProcStatusChanged:
                fields["procId"] = Procs.ProcEntries.ProcId(entry).ToString(invariant);
                fields["status"] = Procs.ProcEntries.ReadStatus(entry).ToString();
                break;
            case EntryType.ProcDestroyed:
                fields["procId"] = Procs.ProcEntries.ProcId(entry).ToString(invariant);
                break;
        }
        return fields;
    }

    public static Command CreateRepair(CliIo io)
    {
        var command = new Command("repair", """
            Repair a damaged store: verify it, copy every damaged file aside (printed), then open it with repair on, which cuts the log at the
            first bad record (or leaves a damaged old segment out), drops damaged index chunks so they are rebuilt from the log, and prints exactly what was dropped.
            Exit code 0: repaired (or nothing to repair). Run it on a store no host holds.
            Example: engine repair --path data
            """) { Path, Json };
        command.SetAction((result, ct) => Guarded(io, "repair", () =>
        {
            var path = result.GetValue(Path)!;
            var files = StoreFiles.Find(path);
            if (files.IsHeld())
                throw new LogEngineException(LogEngineError.Locked, $"the store '{path}' is held by {Storage.DirectoryLock.DescribeHolder(files.Root)}: stop it before repairing");
            var before = Verifier.Run(files);
            if (before.Clean)
            {
                if (result.GetValue(Json)) Output.Json(io, new { repaired = false, problems = before.Problems });
                else io.Out.WriteLine("clean: nothing to repair");
                return ExitCodes.Ok;
            }
            var aside = $"{files.Root.TrimEnd(System.IO.Path.DirectorySeparatorChar)}.damaged-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
            foreach (var file in before.Problems.Select(p => p.File).Distinct())
            {
                var source = System.IO.Path.Combine(files.Root, file);
                if (!File.Exists(source)) continue;
                var target = System.IO.Path.Combine(aside, file);
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
                File.Copy(source, target, overwrite: false);
                // A damaged index chunk is rebuilt from the log once it is gone; the log itself is cut by the engine.
                if (file.StartsWith("index", StringComparison.Ordinal)) File.Delete(source);
            }
            // Damage in the log before the checkpoint's position would never be replayed, so
            // recovery would not see it: the checkpoints go aside too, the whole log is replayed,
            // and the log is cut at the first bad frame (what follows it is dropped and listed).
            var replayAll = before.Problems.Any(p => p.File.StartsWith("log", StringComparison.Ordinal));
            if (replayAll)
            {
                foreach (var checkpoint in files.Checkpoints)
                {
                    var target = System.IO.Path.Combine(aside, files.Relative(checkpoint));
                    Directory.CreateDirectory(aside);
                    if (!File.Exists(target)) File.Copy(checkpoint, target);
                    File.Delete(checkpoint);
                }
            }
            RecoveryReport report;
            using (var engine = Open(path)) report = engine.LastRecovery;
            var after = Verifier.Run(StoreFiles.Find(path));
            if (result.GetValue(Json))
                Output.Json(io, new { repaired = true, copiedTo = aside, problems = before.Problems, dropped = report.Repairs, report.CutAt, report.SegmentsDiscarded, report.RebuiltIndexes, clean = after.Clean });
            else
            {
                foreach (var problem in before.Problems) io.Out.WriteLine($"found: {problem.File} @{problem.Offset}: {problem.What}");
                io.Out.WriteLine($"copied the damaged files to {aside}");
                if (replayAll) io.Out.WriteLine("moved the checkpoints there too: the whole log was replayed, and cut at the first bad frame");
                foreach (var line in report.Repairs) io.Out.WriteLine($"dropped: {line}");
                if (report.RebuiltIndexes.Count > 0) io.Out.WriteLine($"rebuilt the indexes of: {string.Join(", ", report.RebuiltIndexes)}");
                io.Out.WriteLine(after.Clean ? "repaired: the store verifies clean" : $"repaired, but {after.Problems.Count} problems remain (run engine verify)");
            }
            return after.Clean ? ExitCodes.Ok : ExitCodes.Damaged;
        }));
        return command;
    }

    /// <summary>Opens with repair on and closes at once (a clean checkpoint records the repaired state).</summary>
    private static SyncDisposable Open(string path)
    {
        var engine = LogEngine.Open(path, new LogEngineOptions { Workers = 0, RepairCorruption = true });
        return new SyncDisposable(engine);
    }

    private sealed class SyncDisposable(LogEngine engine) : IDisposable
    {
        public RecoveryReport LastRecovery => engine.LastRecovery;

        public void Dispose() => engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static Task<int> Guarded(CliIo io, string verb, Func<int> run)
    {
        try
        {
            return Task.FromResult(run());
        }
        catch (LogEngineException e)
        {
            return Task.FromResult(StoreAccess.Fail(io, verb, e, null));
        }
        catch (IOException e)
        {
            io.Err.WriteLine($"engine {verb}: {e.Message}");
            return Task.FromResult(ExitCodes.Failed);
        }
        catch (UnauthorizedAccessException e)
        {
            io.Err.WriteLine($"engine {verb}: {e.Message}");
            return Task.FromResult(ExitCodes.Failed);
        }
    }
}
