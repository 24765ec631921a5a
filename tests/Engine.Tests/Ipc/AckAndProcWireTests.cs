using System.Buffers;
using System.Buffers.Binary;
using Engine.Ipc;
using Engine.Ipc.Protocol;
using static Engine.Tests.Ipc.RawConnection;

namespace Engine.Tests.Ipc;

/// <summary>
/// The AckAndProc request on the wire (format-spec.md, sections 8.3 and 8.4): op 25, announced by
/// feature bit 1 (value 2); its answer is the acked range, then the claimed entries. A client sends
/// it as one request to a host that announced it, and to an older host an Ack and a Proc.
/// </summary>
public sealed class AckAndProcWireTests
{
    private const ushort OpProc = 6;
    private const ushort OpAck = 7;
    private const ushort OpAckAndProc = 25;

    [Fact]
    public void The_op_and_the_feature_have_the_numbers_the_spec_gives()
    {
        Assert.Equal(OpAckAndProc, (ushort)Op.AckAndProc);
        Assert.Equal(2u, Wire.FeatureAckAndProc);
        Assert.Equal(3u, Wire.HostFeatures);
    }

    [Fact]
    public void The_answer_is_the_acked_range_then_the_entries()
    {
        var result = new AckAndProcResult("1-0", [new LogEntry("1-1", "b"u8.ToArray())]);
        var buffer = new ArrayBufferWriter<byte>();
        Codec.Write(new WireWriter(buffer), result);

        Assert.Equal(
            "03000000" + "312D30" +                          // acked range "1-0"
            "01000000" + "03000000" + "312D31" + "01000000" + "62", // entries: count 1, id "1-1", body "b"
            Convert.ToHexString(buffer.WrittenSpan));
        var read = Codec.ReadAckAndProcResult(new WireReader(buffer.WrittenMemory));
        Assert.Equal("1-0", read.AckedRange);
        Assert.Equal(["1-1"], read.Claimed.Select(e => e.Id));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_client_sends_one_request_to_a_host_that_announced_it_and_an_ack_and_a_proc_to_one_that_did_not(bool announced)
    {
        // Ack answers "1-0", Proc one entry "1-1", AckAndProc both. Trace context is not announced:
        // a test listening to spans meanwhile would make the client send traced requests, whose
        // payload does not start with the op.
        byte[] entries = [.. I32(1), .. String("1-1"), .. I32(1), (byte)'b'];
        await using var host = new ScriptedHost([0, 1, 0, .. String(""), .. I32(announced ? 2 : 0)], payload =>
            BinaryPrimitives.ReadUInt16LittleEndian(payload) switch
            {
                OpAck => [0, .. String("1-0")],
                OpProc => [0, .. entries],
                _ => [0, .. String("1-0"), .. entries],
            });
        await using var client = await LogClient.ConnectAsync(new ConnectOptions { Socket = host.Address, Timeout = IpcTest.Guard });

        var result = await client.AckAndProcAsync("t", new ProcOptions { Name = "p" });

        Assert.Equal("1-0", result.AckedRange);
        Assert.Equal(["1-1"], result.Claimed.Select(e => e.Id));
        Assert.Equal(announced ? [OpAckAndProc] : [OpAck, OpProc], host.Requests.Select(r => BinaryPrimitives.ReadUInt16LittleEndian(r.Payload)));
    }
}
