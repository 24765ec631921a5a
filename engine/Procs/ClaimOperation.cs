using Engine.Topics;

namespace Engine.Procs;

/// <summary>
/// <c>ProcAsync</c>: creates the proc on first use, reclaims an expired claim, and claims the next
/// records after the last ack. Claims nothing while a claim is open and in time. With
/// <see cref="CreateOnly"/> it only makes sure the proc exists (a live proc fixing its start).
/// </summary>
internal sealed class ClaimOperation(ProcContext context, string topicName, ProcOptions options, bool createOnly = false)
    : ProcOperation(context)
{
    public bool CreateOnly { get; } = createOnly;

    /// <summary>What was claimed (empty if nothing) and from which topic.</summary>
    public ProcRange Claimed { get; private set; }

    public Topic? Topic { get; private set; }

    /// <summary>When an open claim (still in time) expires: the earliest a waiting claim can succeed.</summary>
    public long? OpenClaimExpiresAtMs { get; private set; }

    protected override void Decide()
    {
        Claimed = ProcRange.Empty;
        OpenClaimExpiresAtMs = null;
        Topic = Context.TopicOf(topicName);
        var now = Context.NowMs();
        var proc = Context.Procs.ByName(options.Name);
        if (proc is null)
        {
            proc = Create(now);
            Add(ProcEntries.Created(proc));
        }
        else if (proc.Topic != topicName)
        {
            throw ProcErrors.NotUnique(options.Name, topicName, proc.Topic);
        }
        if (CreateOnly) return;
        if (proc.Status == ProcStatus.Disabled) throw ProcErrors.Disabled(proc.Name);
        if (proc.HasOpenClaim)
        {
            if (!ReclaimIfExpired(proc, now))
            {
                OpenClaimExpiresAtMs = proc.ClaimExpiresAtMs;
                return;
            }
            if (FailAfterWrite is not null) return;
        }
        if (Topic is null) return;
        using var gate = Context.Store.EnterReadGate();
        // A claim just moved to the dead-letter topic is acked by an entry not yet applied: go past it.
        var cursor = DeadLettered.IsEmpty ? Context.Cursor(proc, Topic) : Math.Max(DeadLettered.LastSeq + 1, Topic.FirstSeq);
        var count = Math.Min(options.Count, Topic.NextSeq - cursor);
        if (count <= 0) return;
        Claimed = ProcContext.RangeOf(Topic, cursor, count);
        Add(ProcEntries.Claimed(proc.Id, Claimed, now));
    }

    /// <summary>The proc this operation would create, with id <paramref name="id"/> (several created in one frame need distinct ids).</summary>
    public ProcRecord Draft(uint id)
    {
        Topic = Context.TopicOf(topicName);
        return Create(Context.NowMs(), id);
    }

    private ProcRecord Create(long now, uint? id = null) => new()
    {
        Id = id ?? Context.Procs.NextId,
        Name = options.Name,
        Topic = topicName,
        Offset = options.Offset,
        StartSeq = options.Offset switch
        {
            ">" => 0,
            "$>" => Topic?.NextSeq ?? 0,
            _ => -1,
        },
        CreatedAtMs = now,
        MaxReclaims = options.MaxReclaims,
        ReclaimTimeoutMs = (long)options.ReclaimTimeout.TotalMilliseconds,
        OnMaxReclaimsReached = options.OnMaxReclaimsReached,
        DeadLetterTopic = DeadLetterTopicOf(options),
    };

    /// <summary>The dead-letter topic a proc with these options gets: null unless its strategy is DeadLetter.</summary>
    public static string? DeadLetterTopicOf(ProcOptions options) =>
        options.OnMaxReclaimsReached == OnMaxReclaims.DeadLetter ? options.DeadLetterTopic ?? $"{options.Name}__dead" : null;
}
