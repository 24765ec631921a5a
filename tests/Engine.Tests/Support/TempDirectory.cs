namespace Engine.Tests.Support;

/// <summary>A fresh directory under the temp folder, deleted when the test ends.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
        : this(System.IO.Path.GetTempPath())
    {
    }

    /// <summary>A fresh directory under <paramref name="parent"/> (such as <see cref="Memory"/>).</summary>
    public TempDirectory(string parent)
    {
        Path = System.IO.Path.Combine(parent, "engine-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>
    /// A file system in memory where there is one (Linux's /dev/shm), else the temp folder: for
    /// tests that open hundreds of store copies, whose fsyncs would otherwise dominate.
    /// </summary>
    public static string Memory { get; } = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();

    /// <summary>A fresh directory in <see cref="Memory"/>.</summary>
    public static TempDirectory InMemory() => new(Memory);

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a child process may still be letting go; the temp folder is cleaned by the OS
        }
    }
}
