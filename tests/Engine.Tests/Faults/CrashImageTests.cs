namespace Engine.Tests.Faults;

/// <summary>
/// The crash point's order: the ledger stops taking acknowledgments before the disk is imaged,
/// so an fsync that another thread finishes meanwhile can only add to the image, never leave
/// the ledger vouching for bytes the image lacks.
/// </summary>
public sealed class CrashImageTests
{
    [Fact]
    public void The_ledger_freezes_before_the_disk_is_imaged()
    {
        using var disk = new SimulatedDisk();
        var plan = FaultPlan.CrashBefore(1, CrashMode.DropUnsynced);
        bool? imagedWhenFrozen = null;
        plan.Crashed += () => imagedWhenFrozen = plan.CrashImage is not null;
        var medium = new FaultyMedium(disk, plan, seed: 0);

        medium.WriteCheckpoint(0, [1, 2, 3]);

        Assert.False(imagedWhenFrozen);
        Assert.NotNull(plan.CrashImage);
        plan.CrashImage!.Dispose();
    }

    [Fact]
    public void What_was_synced_before_the_crash_is_in_its_image_and_what_was_not_is_dropped()
    {
        using var disk = new SimulatedDisk();
        var medium = new FaultyMedium(disk, FaultPlan.CountOnly(), seed: 0);
        medium.WriteCheckpoint(0, [1, 2, 3]);
        disk.Create("checkpoint.1.tmp", 3).LiveSpan(0, 3).Fill(9);

        using var image = disk.Crash(CrashMode.DropUnsynced, new Random(0));

        Assert.Equal(["checkpoint.0"], image.AllNames());
        Assert.Equal([1, 2, 3], image.Get("checkpoint.0").LiveSpan(0, 3).ToArray());
    }
}
