namespace Engine.Tests.Architecture;

/// <summary>
/// The engine's layers, read from the compiled assemblies (format-spec.md, "Layers"): a type may
/// name types of its own layer and of lower ones, never of a higher one. Known exceptions are
/// listed one by one with the reason they are not fixed yet; a new violation fails, and so does
/// an exception that no longer occurs (so the list only shrinks).
/// </summary>
public sealed class LayeringTests
{
    /// <summary>
    /// Namespaces of Engine.dll, lowest layer first. "Engine" is the root namespace's public
    /// contract (errors, options, records, <c>ILogClient</c>): every layer may use it.
    /// <see cref="Composition"/> names the root-namespace types that sit on top of everything.
    /// </summary>
    private static readonly string[][] Layers =
    [
        ["Engine", "Engine.Storage", "Engine.Ids", "Engine.Telemetry"], // the contract; files or memory, checksums; ids and ranges; the Meter and ActivitySource every layer reports to
        ["Engine.Index"],                           // a topic's slots in mapped chunks
        ["Engine.Topics"],                          // a topic: its name and its index
        ["Engine.Log"],                             // frames, entries, segments, the catalog, writer, flusher, failure state
        ["Engine.Checkpoints"],                     // checkpoint files and the checkpointer
        ["Engine.State", "Engine.Procs", "Engine.SystemProcs"], // the state frames change: applying an entry of each kind
        ["Engine.Recovery", "Engine.Gc"],           // opening a store; giving disk space back
        [Composition],                              // Store and LogEngine: the parts put together, the public API's entry
    ];

    private const string Composition = "Engine (composition)";

    /// <summary>The root-namespace types that compose the layers (the rest of the root namespace is contract).</summary>
    private static readonly HashSet<string> CompositionTypes = ["Engine.Store", "Engine.LogEngine", "Engine.RecordScan", "Engine.Guard", "Engine.StoreOptions", "Engine.EntryFormsModule"];

    /// <summary>Violations known today, each with why it stands. Remove a line when its cause is fixed.</summary>
    private static readonly Dictionary<(string From, string To), string> KnownExceptions = new()
    {
        // Operations implement Log.IFrameExtension (moved down from Store) but still commit through
        // Store.Commit and read the store's state and clock. Fix: an interface for "commit a frame with
        // these entries under the writer's lock" in a lower layer, implemented by Store.
        [("Engine.Procs.ProcOperation", "Engine.Store")] = "operations commit through Store.Commit and read its clock",
        [("Engine.Procs.ProcContext", "Engine.Store")] = "operations reach the store through its context",
        [("Engine.Procs.ClaimOperation", "Engine.Store")] = "a claim reads records through the store",
        [("Engine.Telemetry.EngineMetrics", "Engine.Store")] = "the observable gauges read each open store's segments when collected",
        [("Engine.Telemetry.EngineMetrics", "Engine.Log.Segment")] = "the observable gauges read each open store's segments when collected",
        [("Engine.Telemetry.EngineMetrics", "Engine.Log.SegmentCatalog")] = "the observable gauges read each open store's segments when collected",
        [("Engine.Procs.ProcLag", "Engine.Store")] = "lag reads the index under the store's read gate, as a claim does",
        [("Engine.Procs.ProcService", "Engine.Store")] = "the proc service is the proc half of the public API",
        [("Engine.Procs.ProcService", "Engine.Guard")] = "the proc service is the proc half of the public API",
        [("Engine.SystemProcs.RegisterOperation", "Engine.Store")] = "operations commit through Store.Commit and read its clock",
        [("Engine.SystemProcs.ProcessorRuntimes", "Engine.LogEngine")] = "worker runtimes are started for an engine",
    };

    /// <summary>
    /// What Engine.Ipc may use of Engine.dll: its public types, and the few internal helpers a
    /// client shares with the engine so that it refuses bad calls before they cross the wire.
    /// </summary>
    private static readonly HashSet<string> IpcMayUse =
    [
        "Engine.Log.CommitLimits",                  // the limits of one call, checked client-side
        "Engine.Topics.Names",                      // what a valid name is
        "Engine.SystemProcs.InlineSystemProcs",     // runs inline processors over any ILogClient
        "Engine.Telemetry.EngineMetrics",           // the host counts connections and requests on the engine's one Meter
        "Engine.Telemetry.EngineActivities",        // and traces requests on its one ActivitySource
        "Engine.ILiveProcBackend",                  // what a LiveProc needs of its client: the seam LogClient implements
    ];

    private static readonly Lazy<HashSet<(string From, string To)>> EngineDependencies =
        new(() => TypeDependencies.Read(typeof(LogEngine).Assembly.Location));

    [Fact]
    public void No_layer_of_the_engine_names_a_higher_one()
    {
        var violations = new List<string>();
        var seen = new HashSet<(string, string)>();
        foreach (var (from, to) in EngineDependencies.Value)
        {
            if (LayerOf(from) is not { } fromLayer || LayerOf(to) is not { } toLayer || toLayer <= fromLayer) continue;
            if (KnownExceptions.ContainsKey((from, to))) seen.Add((from, to));
            else violations.Add($"{from} ({Layers[fromLayer][0]}) names {to} ({Layers[toLayer][0]})");
        }
        Assert.True(violations.Count == 0, "Lower layers name higher ones:\n" + string.Join("\n", violations.Order(StringComparer.Ordinal)));
        var stale = KnownExceptions.Keys.Where(k => !seen.Contains(k)).Select(k => $"{k.From} -> {k.To}").ToList();
        Assert.True(stale.Count == 0, "Known exceptions that no longer occur (remove them):\n" + string.Join("\n", stale));
    }

    [Fact]
    public void Every_namespace_of_the_engine_has_a_layer()
    {
        var unplaced = EngineDependencies.Value.Select(p => p.From)
            .Where(t => t.StartsWith("Engine", StringComparison.Ordinal) && LayerOf(t) is null)
            .Select(TypeDependencies.NamespaceOf).Distinct().ToList();
        Assert.True(unplaced.Count == 0, "Namespaces without a layer: " + string.Join(", ", unplaced));
    }

    [Fact]
    public void The_ipc_assembly_uses_only_the_public_contract_of_the_engine()
    {
        var reached = TypeDependencies.Read(typeof(Engine.Ipc.LogClient).Assembly.Location)
            .Where(p => LayerOf(p.To) is not null && !IsPublic(p.To) && !IpcMayUse.Contains(p.To))
            .Select(p => $"{p.From} -> {p.To}")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(reached.Count == 0, "Engine.Ipc reaches into the engine:\n" + string.Join("\n", reached));
    }

    /// <summary>
    /// The check can fail: a dependency from the bottom layer to the top one, as the reader sees
    /// it in a known type of this assembly, is reported.
    /// </summary>
    [Fact]
    public void The_reader_sees_dependencies_inside_method_bodies_and_lambdas()
    {
        var pairs = TypeDependencies.Read(typeof(LayeringTests).Assembly.Location);
        Assert.Contains((typeof(BodyOnly).FullName!.Split('+')[0], "Engine.Store"), pairs);
    }

    /// <summary>Names <c>Store</c> only inside a lambda in a method body.</summary>
    private static class BodyOnly
    {
        public static Func<object?, bool> Peek() => o => o is Store;
    }

    private static bool IsPublic(string type) => typeof(LogEngine).Assembly.GetType(type)?.IsPublic == true;

    /// <summary>The layer index of a type by its full name; null for types outside Engine.dll's namespaces.</summary>
    private static int? LayerOf(string type)
    {
        if (CompositionTypes.Contains(type)) return Layers.Length - 1;
        var ns = TypeDependencies.NamespaceOf(type);
        for (var i = 0; i < Layers.Length; i++)
            if (Layers[i].Contains(ns)) return i;
        return null;
    }
}
