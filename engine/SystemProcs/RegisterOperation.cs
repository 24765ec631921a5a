using Engine.Log;
using Engine.Procs;

namespace Engine.SystemProcs;

/// <summary>
/// Registers (or removes) a DLL system proc in one frame: its procs are created if missing, and
/// the registration entry makes it durable, so a crash leaves both or neither.
/// </summary>
internal sealed class RegisterOperation(ProcContext context, SystemProcRegistration? registration, string? removeName) : ProcOperation(context)
{
    public static RegisterOperation Register(ProcContext context, SystemProcRegistration registration) => new(context, registration, null);

    public static RegisterOperation Remove(ProcContext context, string name) => new(context, null, name);

    protected override void Decide()
    {
        if (removeName is not null)
        {
            if (Context.Store.State.SystemProcs.ByName(removeName) is not null)
                Add(new PendingEntry(EntryType.SystemProcRemoved, 0, [.. new byte[EntryHeader.Length], .. SystemProcRegistry.RemovedPayload(removeName)]));
            return;
        }
        var options = registration!.Options;
        var nextId = Context.Procs.NextId;
        foreach (var (topic, procName) in SystemProcNames.ProcsOf(options))
        {
            var existing = Context.Procs.ByName(procName);
            if (existing is not null)
            {
                if (existing.Topic != topic) throw ProcErrors.NotUnique(procName, topic, existing.Topic);
                continue;
            }
            var procOptions = SystemProcNames.ProcOptions(options, procName);
            var created = new ClaimOperation(Context, topic, procOptions, createOnly: true).Draft(nextId++);
            Add(ProcEntries.Created(created));
        }
        Add(new PendingEntry(EntryType.SystemProcRegistered, 0, [.. new byte[EntryHeader.Length], .. registration.Encode()]));
    }
}
