using System.Reflection;

namespace Engine.Workers.Loading;

/// <summary>
/// Loads processors and reads what a DLL offers. <see cref="Load"/> runs in worker processes;
/// <see cref="Inspect"/> runs in the engine (to check a processor before registering it, and to
/// read drop-in attributes) and unloads the DLL again: no processor code runs in the engine.
/// </summary>
internal static class ProcessorLoader
{
    public static LoadedProcessor Load(ProcessorSpec spec)
    {
        if (!File.Exists(spec.Path)) throw Invalid(spec, "the file does not exist");
        var context = new ProcessorLoadContext(spec.Path);
        try
        {
            var type = FindType(context.LoadMain(), spec);
            var instance = (IProcessor)Activator.CreateInstance(type)!;
            return new LoadedProcessor(context, instance);
        }
        catch (Exception e) when (e is not LogEngineException)
        {
            context.Unload();
            throw Invalid(spec, e.Message);
        }
        catch
        {
            context.Unload();
            throw;
        }
    }

    /// <summary>The processor types a DLL offers, with their registration attribute if any.</summary>
    public static IReadOnlyList<(string TypeName, SystemProcAttribute? Registration)> Inspect(string path)
    {
        if (!File.Exists(path)) throw Invalid(new ProcessorSpec(path, null), "the file does not exist");
        var context = new ProcessorLoadContext(path);
        try
        {
            return [.. ProcessorTypes(context.LoadMain()).Select(t => (t.FullName!, t.GetCustomAttribute<SystemProcAttribute>()))];
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or ReflectionTypeLoadException or FileNotFoundException)
        {
            throw Invalid(new ProcessorSpec(path, null), e is ReflectionTypeLoadException load
                ? string.Join("; ", load.LoaderExceptions.Select(x => x?.Message).Distinct())
                : e.Message);
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>Checks that <paramref name="spec"/> names exactly one loadable processor type.</summary>
    public static void Check(ProcessorSpec spec)
    {
        var types = Inspect(spec.Path).Select(t => t.TypeName).ToList();
        if (spec.TypeName is not null)
        {
            if (!types.Contains(spec.TypeName)) throw Invalid(spec, $"it has no processor type {spec.TypeName} (it has: {string.Join(", ", types)})");
            return;
        }
        if (types.Count != 1) throw Invalid(spec, types.Count == 0 ? "it has no class implementing IProcessor" : $"it has {types.Count} processors; name one as \"Lib.dll:Namespace.Type\"");
    }

    private static Type FindType(Assembly assembly, ProcessorSpec spec)
    {
        var types = ProcessorTypes(assembly).ToList();
        if (spec.TypeName is not null)
            return types.FirstOrDefault(t => t.FullName == spec.TypeName) ?? throw Invalid(spec, $"it has no processor type {spec.TypeName}");
        return types.Count == 1 ? types[0] : throw Invalid(spec, $"it has {types.Count} processors; name one as \"Lib.dll:Namespace.Type\"");
    }

    private static IEnumerable<Type> ProcessorTypes(Assembly assembly) =>
        assembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IProcessor).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null);

    private static LogEngineException Invalid(ProcessorSpec spec, string why) =>
        new(LogEngineError.NoValidProcessor, $"processor '{spec}': {why}");
}

/// <summary>A processor instance and the context it lives in; unloading drops both.</summary>
internal sealed record LoadedProcessor(ProcessorLoadContext Context, IProcessor Instance)
{
    public void Unload() => Context.Unload();
}
