using Engine.Checkpoints;
using Engine.Fuzz.Frames;
using Engine.Fuzz.Generators;
using Engine.Fuzz.Oracles;
using Engine.Fuzz.Targets;

namespace Engine.Tests.Fuzz;

/// <summary>
/// <see cref="CheckpointCodec.TryDecode"/>: a damaged checkpoint is refused (and the other slot
/// used), never read as a different checkpoint, and no input makes it throw.
/// </summary>
public sealed class CheckpointCodecPropertyTests
{
    [Fact]
    public void Encoded_checkpoints_decode_to_the_same_checkpoint() => Property.Check(1_500, rng =>
    {
        var checkpoint = RandomCheckpoints.Next(rng);
        var decoded = CheckpointTarget.Check(CheckpointCodec.Encode(checkpoint));
        Assert.NotNull(decoded);
        Assert.True(CheckpointEquality.Same(checkpoint, decoded), "the checkpoint changed on its way through the file");
    });

    [Fact]
    public void Mutated_checkpoints_never_decode_to_a_different_checkpoint() => Property.Check(3_000, rng =>
    {
        var checkpoint = RandomCheckpoints.Next(rng);
        var file = CheckpointCodec.Encode(checkpoint);
        var damaged = rng.Next(4) switch
        {
            0 => Mutate.FlipBits(rng, file, rng.Next(1, 9), 0, file.Length),
            1 => Mutate.OverwriteRange(rng, file, 0, file.Length),
            2 => file[..rng.Next(0, file.Length)],
            _ => Mutate.WithRandomTail(rng, file, rng.Next(1, 16)),
        };
        var decoded = CheckpointTarget.Check(damaged);
        Assert.True(decoded is null || CheckpointEquality.Same(checkpoint, decoded), "damaged bytes decoded as a different checkpoint");
        // Every byte is under a crc, so changed bytes must not decode at all.
        Assert.True(decoded is null || damaged.AsSpan().SequenceEqual(file), "changed bytes decoded");
    });

    [Fact]
    public void Random_bytes_never_throw_from_checkpoint_decoding() => Property.Check(5_000, rng =>
    {
        // Control byte 1 makes the target fit the header to the bytes and fix both crcs, so the
        // payload parser sees the garbage too.
        var input = RandomFrames.Bytes(rng, rng.Next(0, 256));
        CheckpointTarget.Run(input);
        if (input.Length > 0) input[0] = 1;
        CheckpointTarget.Run(input);
    });

    [Fact]
    public void Damaged_payloads_with_repaired_checksums_never_throw() => Property.Check(2_000, rng =>
    {
        // Near-valid payloads reach deep into the section and topic parsers: wrong counts,
        // lengths that overrun, names cut short, seqs out of order.
        var file = CheckpointCodec.Encode(RandomCheckpoints.Next(rng));
        var damaged = rng.Next(3) switch
        {
            0 => Mutate.FlipBits(rng, file, rng.Next(1, 9), CheckpointCodec.HeaderLength, file.Length),
            1 => Mutate.OverwriteRange(rng, file, CheckpointCodec.HeaderLength, file.Length),
            _ => file[..rng.Next(CheckpointCodec.HeaderLength, file.Length + 1)],
        };
        CheckpointTarget.Run([1, .. damaged]);
    });
}
