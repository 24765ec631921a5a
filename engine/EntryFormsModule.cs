using System.Runtime.CompilerServices;

namespace Engine;

/// <summary>
/// Part of the composition: hands the log the entry checks of the layers above it, as soon as
/// Engine.dll is loaded, so that every frame decoder (recovery, the verify tool, the fuzz
/// harness) checks proc and system proc entries while the log names neither layer.
/// </summary>
internal static class EntryFormsModule
{
#pragma warning disable CA2255 // A module initializer is what makes the checks present before any code of this assembly can decode a frame.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        Log.StateEntryForms.Register(Procs.ProcEntries.IsWellFormed, SystemProcs.SystemProcRegistry.IsWellFormed);
}
