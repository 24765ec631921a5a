using System.Runtime.InteropServices;

namespace Engine.Tests.Support;

/// <summary>Which pages of a mapping are in memory (<c>mincore</c>), for tests of what is made ready ahead.</summary>
internal static unsafe partial class Residency
{
    /// <summary>How many of the pages covering <c>[address, address + length)</c> are not in memory.</summary>
    public static int MissingPages(byte* address, long length)
    {
        var pageSize = Environment.SystemPageSize;
        var start = (byte*)((nuint)address & ~(nuint)(pageSize - 1));
        var pages = (int)((address + length - start + pageSize - 1) / pageSize);
        var resident = new byte[pages];
        fixed (byte* vector = resident)
        {
            if (Mincore(start, (nuint)(pages * (long)pageSize), vector) != 0)
                throw new InvalidOperationException($"mincore failed: errno {Marshal.GetLastPInvokeError()}");
        }
        return resident.Count(b => (b & 1) == 0);
    }

    [LibraryImport("libc", EntryPoint = "mincore", SetLastError = true)]
    private static partial int Mincore(byte* address, nuint length, byte* vector);
}
