using System.Globalization;
using System.Text;

namespace Engine.Storage;

/// <summary>
/// One engine per store directory: an exclusive advisory lock (flock) on <c>LOCK</c>, held for the
/// engine's life. The OS drops it when the process dies, so a crash never leaves the store locked,
/// and a second opener, in this process or another, fails before touching any other file.
/// <para>
/// The holder writes its process id into <c>LOCK</c> (ASCII decimal and a newline, format-spec.md
/// section 2) so that <see cref="LogEngineError.Locked"/> can name who holds the store. The bytes
/// only inform: the flock alone decides ownership, so a stale id left by a crash is harmless
/// (the next holder overwrites it) and is never read while nobody holds the lock.
/// </para>
/// </summary>
internal sealed class DirectoryLock : IDisposable
{
    /// <summary>The name of the lock file in a store directory.</summary>
    public const string FileName = "LOCK";

    private readonly FileStream _file;

    private DirectoryLock(FileStream file) => _file = file;

    public static DirectoryLock Acquire(string root)
    {
        var path = Path.Combine(root, FileName);
        FileStream file;
        try
        {
            // FileShare.None is an exclusive flock on Unix: refused while anyone else holds it.
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && !NotALockConflict(e))
        {
            throw new LogEngineException(LogEngineError.Locked, $"the store '{root}' is open in another engine: {DescribeHolder(root)} holds its LOCK file", e);
        }
        try
        {
            var content = Content(Environment.ProcessId);
            file.SetLength(0);
            file.Write(content);
            file.Flush();
        }
        catch
        {
            file.Dispose();
            throw;
        }
        return new DirectoryLock(file);
    }

    /// <summary>
    /// Failures that mean LOCK cannot be made at all, not that someone holds it: a read-only file
    /// system, no space, an I/O error (errno in HResult on Unix). They stay I/O errors, which the
    /// opener words as the user's mistake or a failing disk.
    /// </summary>
    private static bool NotALockConflict(IOException e) => e.HResult is 5 or 20 or 21 or 28 or 30 or 122; // EIO ENOTDIR EISDIR ENOSPC EROFS EDQUOT

    /// <summary>What a holder writes into <c>LOCK</c>: its process id in ASCII decimal, then <c>\n</c>.</summary>
    public static byte[] Content(int processId) => Encoding.ASCII.GetBytes(processId.ToString(CultureInfo.InvariantCulture) + "\n");

    /// <summary>
    /// The process id written in a held <c>LOCK</c>, or null when it cannot be read or is not one
    /// (an engine from before ids were written, or a holder that has not written it yet).
    /// </summary>
    public static int? ReadHolder(string root)
    {
        // Read without taking the flock (any FileStream would ask for a shared one and be refused).
        var bytes = NativeFile.ReadUnlocked(Path.Combine(root, FileName), 32);
        if (bytes is null) return null;
        var text = Encoding.ASCII.GetString(bytes).TrimEnd('\n');
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
    }

    /// <summary>"process 1234 (dotnet)", "this process (1234)", or "another process" when the id is unknown.</summary>
    public static string DescribeHolder(string root)
    {
        if (ReadHolder(root) is not { } pid) return "another process";
        if (pid == Environment.ProcessId) return $"this process ({pid})";
        return ProcessName(pid) is { } name ? $"process {pid} ({name})" : $"process {pid}";
    }

    private static string? ProcessName(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.ProcessName;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null; // gone meanwhile, or not ours to look at: the id alone still helps
        }
    }

    /// <summary>
    /// Waits, without polling, until no engine holds the store at <paramref name="root"/>, taking
    /// nothing: for a reader that must leave the store free between its reads (engine tail -f on a
    /// path). An engine may take it again before the caller opens it. False where waiting on a
    /// lock is not supported (elsewhere than Linux), having returned at once.
    /// </summary>
    public static bool WaitUntilFree(string root) => NativeFile.WaitForShared(Path.Combine(root, FileName));

    public void Dispose() => _file.Dispose();
}
