using Engine.Ids;
using Engine.Index;
using Engine.Log;
using Engine.Storage;
using Engine.Topics;

namespace Engine;

/// <summary>Commits: a call's records (and proc changes) become one frame, written and applied under the write lock.</summary>
internal sealed partial class Store
{
    private readonly Dictionary<string, int> _planSlotByName = new(StringComparer.Ordinal);
    private readonly List<PlannedTopic> _planTopics = [];
    private int[] _planSlots = new int[16];

    /// <summary>What a commit wrote: its timestamp, the seqs of its records (or the one seq of a single commit) and where the log ends after it.</summary>
    public readonly record struct CommitReceipt(long Timestamp, long[]? Seqs, long EndPosition, long SingleSeq = -1)
    {
        /// <summary>The ids, formatted when read.</summary>
        public IReadOnlyList<string> Ids() => new IdList(Timestamp, Seqs ?? [SingleSeq]);

        public string SingleId() => LogId.Format(Timestamp, SingleSeq);
    }


    /// <summary>
    /// Commits one record (the common case, without the batch bookkeeping). The clock is read and
    /// a known topic looked up before taking the write lock, and waiters are woken after it, so
    /// the lock covers only what must be serial: seq, timestamp, the frame and applying it.
    /// </summary>
    public CommitReceipt CommitOne(string topicName, ReadOnlySpan<byte> body)
    {
        CommitLimits.ValidateBody(body.Length);
        var now = Now(0);
        if (topicName is null || !_state.Topics.TryGet(topicName, out var known))
        {
            Names.Validate(topicName, "topic");
            known = null;
        }
        CommitReceipt receipt;
        Topic topic;
        lock (_writeLock)
        {
            ThrowIfUnusable();
            var isNew = false;
            if (known is not null) topic = known;
            else if (!_state.Topics.TryGet(topicName!, out topic))
            {
                topic = _state.PrepareTopic(_state.Topics.NextId, topicName!);
                isNew = true;
            }
            var seq = topic.AppendSeq;
            var timestamp = Math.Max(now, topic.LastTimestamp);
            var length = FrameHeader.Length + RecordEntry.PaddedLength(body.Length) + (isNew ? TopicCreatedLength(topicName!) : 0);
            Span<byte> frame;
            try
            {
                topic.Index.EnsureChunks(seq, seq + 1);
                frame = _writer.Reserve(length, _flusher.Durable);
            }
            catch (Exception e) when (StorageFault.IsStorageFailure(e))
            {
                throw NothingWritten(e);
            }
            var position = _writer.Position; // after Reserve: it may have rolled to a new segment
            try
            {
                var writer = new FrameWriter(frame, position, _flusher.Durable);
                if (isNew) WriteTopicCreated(ref writer, topic);
                writer.AddRecord(topic.Id, seq, timestamp, body);
                FinishAndApply(ref writer, frame, position, length, wake: false);
            }
            catch (Exception e)
            {
                throw Poison(e);
            }
            Advance(length);
            receipt = new CommitReceipt(timestamp, null, _writer.Position, seq);
        }
        _signals.Pulse(topic.Name);
        return receipt;
    }

    /// <summary>Commits records of any topics, plus an optional extension, as one frame.</summary>
    public CommitReceipt Commit(IReadOnlyList<CommitLog> logs, Log.IFrameExtension? extension = null)
    {
        lock (_writeLock)
        {
            ThrowIfUnusable();
            var extensionLength = extension?.Prepare() ?? 0;
            if (extension?.SuppressRecords == true) logs = [];
            if (extension?.Records is { Count: > 0 } extra) logs = [.. logs, .. extra];
            var seqs = new long[logs.Count];
            int length;
            long timestamp;
            Span<byte> frame;
            try
            {
                length = FrameHeader.Length + extensionLength + PlanRecords(logs, seqs, out timestamp);
                if (length > FrameHeader.MaxLength)
                    throw new LogEngineException(LogEngineError.InvalidArgument, "the commit is larger than one frame may be");
                if (length == FrameHeader.Length) return new CommitReceipt(timestamp, seqs, _writer.Position);
                frame = _writer.Reserve(length, _flusher.Durable, freesSpace: logs.Count == 0 && extension is { FreesSpace: true });
            }
            catch (Exception e) when (StorageFault.IsStorageFailure(e))
            {
                throw NothingWritten(e);
            }
            var position = _writer.Position; // after Reserve: it may have rolled to a new segment
            try
            {
                var writer = new FrameWriter(frame, position, _flusher.Durable);
                foreach (var planned in _planTopics)
                {
                    if (planned.IsNew) WriteTopicCreated(ref writer, planned.Topic);
                }
                for (var i = 0; i < logs.Count; i++)
                    writer.AddRecord(_planTopics[_planSlots[i]].Topic.Id, seqs[i], timestamp, logs[i].Body.Span);
                extension?.Write(ref writer);
                FinishAndApply(ref writer, frame, position, length);
            }
            catch (Exception e)
            {
                throw Poison(e);
            }
            Advance(length);
            return new CommitReceipt(timestamp, seqs, _writer.Position);
        }
    }

    /// <summary>
    /// Resolves topics (preparing new ones), gives every record its seq, maps the index chunks
    /// they need and returns the bytes the records take. Everything that can fail happens here.
    /// </summary>
    private int PlanRecords(IReadOnlyList<CommitLog> logs, long[] seqs, out long timestamp)
    {
        _planSlotByName.Clear();
        _planTopics.Clear();
        if (_planSlots.Length < logs.Count) _planSlots = new int[Math.Max(logs.Count, _planSlots.Length * 2)];
        var nextId = _state.Topics.NextId;
        var length = 0;
        var lastTimestamp = 0L;
        for (var i = 0; i < logs.Count; i++)
        {
            var name = logs[i].Topic;
            if (!_planSlotByName.TryGetValue(name, out var slot))
            {
                slot = _planTopics.Count;
                _planSlotByName.Add(name, slot);
                var isNew = !_state.Topics.TryGet(name, out var topic);
                if (isNew)
                {
                    Names.Validate(name, "topic");
                    topic = _state.PrepareTopic(nextId++, name);
                    length += TopicCreatedLength(name);
                }
                _planTopics.Add(new PlannedTopic(topic, isNew, topic.AppendSeq));
                lastTimestamp = Math.Max(lastTimestamp, topic.LastTimestamp);
            }
            var planned = _planTopics[slot];
            _planSlots[i] = slot;
            seqs[i] = planned.NextSeq++;
            length += RecordEntry.PaddedLength(logs[i].Body.Length);
        }
        foreach (var planned in _planTopics) planned.Topic.Index.EnsureChunks(planned.Topic.AppendSeq, planned.NextSeq);
        timestamp = Now(lastTimestamp);
        return length;
    }

    /// <summary>
    /// Writes the header, appends the frame to the log and applies it to the state (the same apply
    /// recovery uses). Applied after the append: applying publishes the records to readers, who
    /// read them from the segment.
    /// </summary>
    private void FinishAndApply(ref FrameWriter writer, Span<byte> frame, long position, int length, bool wake = true)
    {
        if (writer.Finish() != length) throw new InvalidOperationException($"frame sized {length} came out {writer.Written} bytes");
        _writer.Append();
        _state.Apply(frame, position);
        if (!wake) return;
        foreach (var topic in _state.TouchedTopics) _signals.Pulse(topic.Name);
        foreach (var topic in _state.Procs.TouchedTopics) _signals.Pulse(topic);
    }

    /// <summary>
    /// Past reserving, only the append itself should fail (EIO); if it or anything else does (a
    /// bug), the frame is unmade and the store refuses further writes until reopened, rather than
    /// carry on from a state it cannot vouch for.
    /// </summary>
    private LogEngineException Poison(Exception e)
    {
        _writer.Unwrite();
        return _failures.Fail("a write of the log", e);
    }

    /// <summary>
    /// A storage failure before anything was written (making a segment or index chunk, reserving
    /// blocks): a full disk leaves the store writable, anything else poisons it.
    /// </summary>
    private LogEngineException NothingWritten(Exception e) =>
        StorageFault.IsDiskFull(e)
            ? new LogEngineException(LogEngineError.DiskFull, $"the disk is full ({e.Message}); nothing of this call was written, and writes work again once space is freed", e)
            : _failures.Fail("preparing a write of the log", e);

    private void Advance(int length)
    {
        _writer.Advance(length);
        _flusher.MarkWritten(_writer.Position);
        _checkpointer.RequestIfDue(_writer.Position);
    }

    private static int TopicCreatedLength(string name) =>
        FrameHeader.Align(TopicCreatedEntry.NameOffset + Names.StrictUtf8.GetByteCount(name));

    private static void WriteTopicCreated(ref FrameWriter writer, Topic topic)
    {
        var name = Names.StrictUtf8.GetBytes(topic.Name);
        var entry = writer.BeginEntry(EntryType.TopicCreated, 0, TopicCreatedEntry.NameOffset + name.Length);
        TopicCreatedEntry.Write(entry, topic.Id, name);
        writer.EndEntry();
    }

    /// <summary>The commit time: the clock, but never before the last record of any topic involved.</summary>
    private long Now(long notBefore)
    {
        var now = Math.Clamp(_options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(), 0, IndexEntry.MaxTimestamp);
        return Math.Max(now, notBefore);
    }

    /// <summary>Waits until a commit's bytes are as durable as the options ask.</summary>
    public ValueTask WaitDurableAsync(in CommitReceipt receipt) =>
        _options.Durability == Durability.Always && _medium.IsPersistent ? _flusher.WaitDurableAsync(receipt.EndPosition) : ValueTask.CompletedTask;

    private sealed class PlannedTopic(Topic topic, bool isNew, long nextSeq)
    {
        public Topic Topic { get; } = topic;
        public bool IsNew { get; } = isNew;
        public long NextSeq { get; set; } = nextSeq;
    }
}
