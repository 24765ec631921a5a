using System.Reflection;
using System.Runtime.Loader;

namespace Engine.Workers.Loading;

/// <summary>
/// A collectible load context for one processor DLL. Its dependencies resolve through an
/// <see cref="AssemblyDependencyResolver"/> on the DLL (its deps.json, or its folder), so a
/// processor may bring its own libraries, in its own versions. The contract assembly
/// (Engine.Processors; Engine too, for DLLs built against it before the contract was split out,
/// whose type references Engine forwards) is always the default context's, so
/// <see cref="IProcessor"/> is one type everywhere. Assemblies
/// are loaded from bytes, never by path: the file stays free to be replaced while it is in use.
/// </summary>
internal sealed class ProcessorLoadContext(string mainAssemblyPath)
    : AssemblyLoadContext($"processor:{Path.GetFileName(mainAssemblyPath)}", isCollectible: true)
{
    private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

    public Assembly LoadMain() => LoadBytes(mainAssemblyPath);

    protected override Assembly? Load(AssemblyName name)
    {
        if (IsShared(name)) return null;
        var path = _resolver.ResolveAssemblyToPath(name);
        return path is null ? null : LoadBytes(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    /// <summary>The contract the host and the processor must agree on comes from the default context.</summary>
    private static bool IsShared(AssemblyName name) => name.Name is "Engine.Processors" or "Engine";

    private Assembly LoadBytes(string path)
    {
        using var assembly = new MemoryStream(File.ReadAllBytes(path));
        var symbols = Path.ChangeExtension(path, ".pdb");
        if (!File.Exists(symbols)) return LoadFromStream(assembly);
        using var pdb = new MemoryStream(File.ReadAllBytes(symbols));
        return LoadFromStream(assembly, pdb);
    }
}
