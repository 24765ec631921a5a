using Engine.Fuzz.Targets;
using Engine.Ipc.Protocol;

namespace Engine.Tests.Fuzz;

/// <summary>
/// The decoders of bytes a remote peer controls (the frame parser and the message codec), held to
/// the oracles of the fuzz targets: refuse with a protocol error or decode, never throw anything
/// else; a cut of the received bytes into segments does not change what is read; what decodes
/// survives being written back. Bounded runs here; open-ended ones under a fuzzer (fuzz/README.md).
/// </summary>
public sealed class IpcDecoderPropertyTests
{
    [Fact]
    public void Random_bytes_never_break_the_frame_parser() => Property.Check(20_000, rng =>
    {
        var input = new byte[rng.Next(1, 96)];
        rng.NextBytes(input);
        // Mostly small lengths, so frames are often complete and the parser goes on to the next.
        if (input.Length > 4 && rng.Next(2) == 0) input[1..5].AsSpan().Clear();
        if (input.Length > 2 && rng.Next(2) == 0) input[1] = (byte)rng.Next(5, 40);
        IpcFrameTarget.Run(input);
    });

    [Fact]
    public void Random_payloads_never_break_a_message_decoder() => Property.Check(20_000, rng =>
    {
        var input = new byte[rng.Next(1, 160)];
        rng.NextBytes(input);
        // Small counts and lengths, so decoding gets past the first field as often as not.
        for (var i = 1; i + 4 <= input.Length; i += 4)
            if (rng.Next(3) == 0) BitConverter.TryWriteBytes(input.AsSpan(i), rng.Next(-1, 6));
        IpcMessageTarget.Run(input);
    });

    [Theory]
    [InlineData(5)] // proc states
    [InlineData(7)] // proc infos
    public void A_creation_time_of_no_time_is_a_protocol_error_not_a_crash(int message)
    {
        var payload = Engine.Fuzz.Ipc.IpcSeeds.Messages().Single(m => m[0] == message)[1..];
        // The first state's CreatedAt (after count, name "p", topic "t", status, offset ">") set to -1: "no time".
        var createdAt = 4 + 5 + 5 + 1 + 5;
        BitConverter.TryWriteBytes(payload.AsSpan(createdAt), -1L);
        IpcMessageTarget.Run([(byte)message, .. payload]); // throws if anything but a WireFormatException escapes
        var reader = new WireReader(payload);
        Assert.Throws<WireFormatException>(() => message == 5 ? Codec.ReadProcStates(reader) : (object)Codec.ReadProcInfos(reader));
    }
}
