namespace Engine.Log;

/// <summary>
/// The forms of the entries whose layouts belong to the layers above the log: procs and system
/// procs. The frame decoder checks every entry's form (format-spec.md §3.2: a frame is valid when
/// each entry is well formed for its type), but the log must not name those layers; they hand
/// their checks in here instead, when Engine.dll is loaded (<see cref="Engine.EntryFormsModule"/>),
/// before any frame can be decoded.
/// </summary>
internal static class StateEntryForms
{
    /// <summary>Whether an entry of a type one layer defines is well formed (its header included).</summary>
    public delegate bool Check(EntryType type, ReadOnlySpan<byte> entry);

    private static Check? s_procs;
    private static Check? s_systemProcs;

    public static void Register(Check procs, Check systemProcs)
    {
        s_procs = procs;
        s_systemProcs = systemProcs;
    }

    public static bool IsWellFormedProcEntry(EntryType type, ReadOnlySpan<byte> entry) => Registered(s_procs)(type, entry);

    public static bool IsWellFormedSystemProcEntry(EntryType type, ReadOnlySpan<byte> entry) => Registered(s_systemProcs)(type, entry);

    private static Check Registered(Check? check) =>
        check ?? throw new InvalidOperationException("the proc entry forms are not registered (Engine.EntryFormsModule runs when Engine.dll loads)");
}
