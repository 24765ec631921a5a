namespace Engine.Bridge.Nats.Tests;

public sealed class SpecTests
{
    [Fact]
    public void Export_spec_names_a_topic_and_optionally_a_subject()
    {
        Assert.Equal(new NatsExport("orders", "orders"), BridgeSpecs.ParseExport("orders"));
        Assert.Equal(new NatsExport("orders", "shop.orders"), BridgeSpecs.ParseExport("orders=shop.orders"));
        Assert.Equal("nats-export/orders", BridgeSpecs.ParseExport("orders").ProcName);
    }

    [Fact]
    public void Import_spec_is_stream_colon_subject_equals_topic()
    {
        Assert.Equal(new NatsImport("ORDERS", "shop.>", "orders"), BridgeSpecs.ParseImport("ORDERS:shop.>=orders"));
    }

    [Theory]
    [InlineData("has space")]   // not a subject, and no subject given
    [InlineData("orders=a..b")]
    [InlineData("orders=shop.*")] // a publish subject cannot be a wildcard
    [InlineData("=subject")]
    public void A_bad_export_spec_is_invalid_argument(string spec) =>
        Assert.Equal(LogEngineError.InvalidArgument, Assert.Throws<LogEngineException>(() => BridgeSpecs.ParseExport(spec)).Code);

    [Theory]
    [InlineData("ORDERS")]
    [InlineData("ORDERS:shop")]
    [InlineData(":shop=orders")]
    [InlineData("OR.DERS:shop=orders")]
    [InlineData("ORDERS:shop=")]
    public void A_bad_import_spec_is_invalid_argument(string spec) =>
        Assert.Equal(LogEngineError.InvalidArgument, Assert.Throws<LogEngineException>(() => BridgeSpecs.ParseImport(spec)).Code);

    [Fact]
    public async Task Options_with_nothing_to_bridge_are_refused_before_anything_starts()
    {
        await using var engine = LogEngine.OpenInMemory();
        var e = Assert.Throws<LogEngineException>(() => NatsBridge.Start(engine, new NatsBridgeOptions()));
        Assert.Equal(LogEngineError.InvalidArgument, e.Code);
    }
}
