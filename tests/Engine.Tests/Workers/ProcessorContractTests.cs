using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Engine.Tests.Support;

namespace Engine.Tests.Workers;

/// <summary>
/// A processor DLL references the small contract assembly (Engine.Processors), not the storage
/// engine, and carries no copy of either; a DLL built against Engine before the contract was split
/// out still loads and runs (Engine forwards the contract's types).
/// </summary>
public sealed class ProcessorContractTests
{
    [Fact]
    public void A_processor_built_against_the_contract_references_it_and_not_the_engine()
    {
        var references = ReferencesOf(Path.Combine(Samples.OutputOf("Increment"), "Increment.dll"));

        Assert.Contains("Engine.Processors", references);
        Assert.DoesNotContain("Engine", references);
        Assert.False(File.Exists(Path.Combine(Samples.OutputOf("Increment"), "Engine.Processors.dll")), "the contract was copied beside the processor");
        Assert.False(File.Exists(Path.Combine(Samples.OutputOf("Increment"), "Engine.dll")), "the engine was copied beside the processor");
    }

    [Fact]
    public async Task A_processor_built_against_Engine_before_the_split_still_loads_and_runs()
    {
        var legacy = Path.Combine(AppContext.BaseDirectory, "Workers", "Legacy");
        var references = ReferencesOf(Path.Combine(legacy, "DropInEcho.dll"));
        Assert.Contains("Engine", references);
        Assert.DoesNotContain("Engine.Processors", references);
        await using var store = WorkerEngine.Open(workers: 1, watchProcessors: true);
        var synced = store.SyncedAsync("DropInEcho.dll");
        foreach (var file in Directory.EnumerateFiles(legacy)) File.Copy(file, Path.Combine(store.Processors, Path.GetFileName(file)));
        await synced; // its [SystemProc("echo")] was read through Engine's forward

        await store.Engine.CommitAsync("echo-in", "old dll"u8.ToArray());
        await store.WaitForProcsAsync("echo");

        Assert.Equal(["old dll"], await store.BodiesAsync("echo-out"));
    }

    [Fact]
    public void The_contract_types_stay_in_namespace_Engine_and_Engine_forwards_them()
    {
        foreach (var type in new[] { typeof(IProcessor), typeof(ProcessorDelegate), typeof(LogEntry), typeof(SystemProcAttribute), typeof(OnMaxReclaims) })
        {
            Assert.Equal("Engine.Processors", type.Assembly.GetName().Name);
            Assert.Equal("Engine", type.Namespace); // the public API keeps them in namespace Engine
            Assert.Same(type, typeof(LogEngine).Assembly.GetType(type.FullName!)); // resolved through Engine.dll's forward
        }
    }

    private static List<string> ReferencesOf(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return [.. metadata.AssemblyReferences.Select(handle => metadata.GetString(metadata.GetAssemblyReference(handle).Name))];
    }
}
