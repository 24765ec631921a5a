using Engine.Tests.Support;

namespace Engine.Tests.Core;

/// <summary>
/// A wrong store path is the user's mistake, not a broken store: a file, a path under a file and a
/// directory without permission are <see cref="LogEngineError.InvalidArgument"/> naming what is wrong.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // each permission test skips there first
public sealed class StorePathTests
{
    [Fact]
    public void A_store_path_that_is_a_file_is_an_invalid_argument()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("plain.txt");
        File.WriteAllText(file, "not a store");

        var error = Assert.Throws<LogEngineException>(() => LogEngine.Open(file));

        Assert.Equal(LogEngineError.InvalidArgument, error.Code);
        Assert.Contains("is a file", error.Message);
        Assert.Equal("not a store", File.ReadAllText(file));
    }

    [Fact]
    public void A_store_path_under_a_file_is_an_invalid_argument_naming_the_file()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("plain.txt");
        File.WriteAllText(file, "not a store");

        var error = Assert.Throws<LogEngineException>(() => LogEngine.Open(Path.Combine(file, "a", "store")));

        Assert.Equal(LogEngineError.InvalidArgument, error.Code);
        Assert.Contains($"'{file}', which is a file", error.Message);
    }

    [SkippableFact]
    public void A_store_directory_without_permission_is_an_invalid_argument()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        using var dir = new TempDirectory();
        var store = dir.Combine("store");
        Directory.CreateDirectory(store);
        File.SetUnixFileMode(store, UnixFileMode.None);
        try
        {
            Skip.If(PermissionsIgnored(store), "this user ignores file permissions (root): a directory without them opens anyway");

            var error = Assert.Throws<LogEngineException>(() => LogEngine.Open(store));

            Assert.Equal(LogEngineError.InvalidArgument, error.Code);
            Assert.Contains("no permission", error.Message);
        }
        finally
        {
            File.SetUnixFileMode(store, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [SkippableFact]
    public void A_store_under_a_directory_without_permission_is_an_invalid_argument()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        using var dir = new TempDirectory();
        var parent = dir.Combine("parent");
        Directory.CreateDirectory(parent);
        File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            Skip.If(PermissionsIgnored(parent), "this user ignores file permissions (root): a read-only directory takes new ones anyway");

            var error = Assert.Throws<LogEngineException>(() => LogEngine.Open(Path.Combine(parent, "store")));

            Assert.Equal(LogEngineError.InvalidArgument, error.Code);
            Assert.False(Directory.Exists(Path.Combine(parent, "store")));
        }
        finally
        {
            File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Whether this process can create a file in a directory whose mode forbids it (root can).</summary>
    private static bool PermissionsIgnored(string directory)
    {
        var probe = Path.Combine(directory, "probe");
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
