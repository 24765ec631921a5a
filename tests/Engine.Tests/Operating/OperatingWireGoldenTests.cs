using System.Buffers;
using Engine.Ipc.Protocol;

namespace Engine.Tests.Operating;

/// <summary>
/// The bytes of the operating answers on the wire (format-spec.md, section 8.4), pinned: a topic
/// info and a proc info encode exactly as the spec says, and decode back to what was written.
/// </summary>
public sealed class OperatingWireGoldenTests
{
    [Fact]
    public void A_topic_info_is_name_length_first_id_last_id()
    {
        var bytes = Encode(w => Codec.Write(w, new TopicInfo("t", 2, "5-0", "5-1")));

        Assert.Equal(
            "01000000" + "74" +                 // name "t"
            "0200000000000000" +                // length i64
            "03000000" + "352D30" +             // firstId "5-0"
            "03000000" + "352D31",              // lastId "5-1"
            Convert.ToHexString(bytes));
        Assert.Equal(new TopicInfo("t", 2, "5-0", "5-1"), Codec.ReadTopicInfo(new WireReader(bytes)));
    }

    [Fact]
    public void A_proc_info_is_the_proc_state_then_lag_then_age_ticks_or_minus_one()
    {
        var state = new ProcState("p", "t", ProcStatus.Active, ">", DateTimeOffset.FromUnixTimeMilliseconds(0), "", "", "", null, null, 0, 10,
            TimeSpan.FromSeconds(10), OnMaxReclaims.Disable);
        var stateBytes = Encode(w => Codec.Write(w, state));

        var pending = Encode(w => Codec.Write(w, new ProcInfo(state, 7, TimeSpan.FromTicks(0x0102))));
        var none = Encode(w => Codec.Write(w, new ProcInfo(state, 0, null)));

        Assert.Equal(Convert.ToHexString(stateBytes) + "0700000000000000" + "0201000000000000", Convert.ToHexString(pending));
        Assert.Equal(Convert.ToHexString(stateBytes) + "0000000000000000" + "FFFFFFFFFFFFFFFF", Convert.ToHexString(none));
        Assert.Equal(new ProcInfo(state, 7, TimeSpan.FromTicks(0x0102)), Codec.ReadProcInfo(new WireReader(pending)));
        Assert.Null(Codec.ReadProcInfo(new WireReader(none)).OldestPendingAge);
    }

    [Fact]
    public void The_operating_ops_have_the_numbers_the_spec_gives()
    {
        Assert.Equal(22, (ushort)Op.ListTopics);
        Assert.Equal(23, (ushort)Op.ListProcs);
        Assert.Equal(24, (ushort)Op.ProcInfo);
    }

    private static byte[] Encode(Action<WireWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new WireWriter(buffer));
        return buffer.WrittenSpan.ToArray();
    }
}
