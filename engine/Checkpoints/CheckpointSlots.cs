using Engine.Storage;
using Microsoft.Extensions.Logging;
using Engine.Telemetry;

namespace Engine.Checkpoints;

/// <summary>
/// The two checkpoint files, written alternately so that a crash while one is being replaced, or
/// damage to one, leaves the other. The GC keeps the log from the older one's position on, so
/// falling back to it always finds the log it needs.
/// </summary>
internal sealed class CheckpointSlots
{
    private readonly IStorageMedium _medium;
    private readonly Checkpoint?[] _slots = new Checkpoint?[2];

    private CheckpointSlots(IStorageMedium medium) => _medium = medium;

    /// <summary>The newest intact checkpoint, once picked or written.</summary>
    public Checkpoint? Newest => Order().FirstOrDefault();

    /// <summary>The log must be kept from here on: both checkpoints may be needed to open the store.</summary>
    public long RetainFrom => _slots.Any(s => s is null) ? 0 : _slots.Min(s => s!.LogPosition);

    public long NextGeneration => (Newest?.Generation ?? 0) + 1;

    public static CheckpointSlots Load(IStorageMedium medium, ILogger logger)
    {
        var slots = new CheckpointSlots(medium);
        for (var slot = 0; slot < 2; slot++)
        {
            var bytes = medium.ReadCheckpoint(slot);
            if (bytes is null) continue;
            slots._slots[slot] = CheckpointCodec.TryDecode(bytes, out var error);
            if (slots._slots[slot] is null) logger.CheckpointSlotUnusable(slot, error);
        }
        return slots;
    }

    /// <summary>The intact checkpoints, newest first: recovery uses the first whose position the segments hold.</summary>
    public IEnumerable<Checkpoint> NewestFirst => Order();

    /// <summary>Writes a checkpoint into the slot not holding the newest one.</summary>
    public void Write(Checkpoint checkpoint)
    {
        var slot = _slots[0] is null ? 0 : _slots[1] is null ? 1 : _slots[0]!.Generation < _slots[1]!.Generation ? 0 : 1;
        _medium.WriteCheckpoint(slot, CheckpointCodec.Encode(checkpoint));
        _slots[slot] = checkpoint;
    }

    private IEnumerable<Checkpoint> Order() => _slots.OfType<Checkpoint>().OrderByDescending(c => c.Generation);
}
