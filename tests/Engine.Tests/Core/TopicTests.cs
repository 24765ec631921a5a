using System.Text;
using Engine.Tests.Support;

namespace Engine.Tests.Core;

/// <summary>
/// Topic names are 1-255 UTF-8 bytes without control characters (else InvalidArgument);
/// a valid name never committed to is InvalidTopic for reads.
/// </summary>
public sealed class TopicTests
{
    private static readonly Dictionary<string, string?> InvalidNames = new()
    {
        ["empty"] = "",
        ["null"] = null,
        ["256 ascii bytes"] = new string('a', 256),
        ["256 bytes in 128 chars"] = string.Concat(Enumerable.Repeat("é", 128)),
        ["257 bytes in 64 chars"] = string.Concat(Enumerable.Repeat("😀", 64)) + "a",
        ["1000 bytes"] = new string('x', 1000),
        ["newline"] = "a\nb",
        ["nul"] = "a\0b",
        ["tab"] = "\t",
        ["escape"] = "topic\u001b",
        ["delete"] = "a\u007f",
        ["c1 control"] = "a\u0085b",
        ["lone surrogate"] = "a\ud800b",
    };

    private static readonly string[] Operations =
        ["CommitAsync", "CommitJsonAsync", "CommitAsync(list)", "RangeAsync", "RevRangeAsync", "LengthAsync"];

    public static TheoryData<string, string, string> InvalidNameCases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var kind in Kinds.Both)
        {
            foreach (var name in InvalidNames.Keys)
            {
                foreach (var op in Operations) data.Add(kind, name, op);
            }
        }
        return data;
    }

    private static async Task Run(ILogClient engine, string operation, string topic)
    {
        switch (operation)
        {
            case "CommitAsync": await engine.CommitAsync(topic, new byte[] { 1 }); break;
            case "CommitJsonAsync": await engine.CommitJsonAsync(topic, new { A = 1 }); break;
            case "CommitAsync(list)": await engine.CommitAsync([new CommitLog(topic, new byte[] { 1 })]); break;
            case "RangeAsync": await engine.RangeAsync(topic); break;
            case "RevRangeAsync": await engine.RevRangeAsync(topic); break;
            case "LengthAsync": await engine.LengthAsync(topic); break;
            default: throw new ArgumentOutOfRangeException(nameof(operation));
        }
    }

    [Theory]
    [MemberData(nameof(InvalidNameCases))]
    public async Task Invalid_topic_name_is_invalid_argument(string kind, string name, string operation)
    {
        await using var store = CoreStore.Open(kind);
        await store.Engine.CommitAsync("other", new byte[] { 1 });
        await CoreStore.ThrowsAsync(LogEngineError.InvalidArgument, () => Run(store.Engine, operation, InvalidNames[name]!));
        Assert.Equal(1, await store.Engine.LengthAsync("other"));
        Assert.Equal(["1000-1"], await store.Engine.CommitAsync([new CommitLog("other", new byte[] { 2 })]));
    }

    private static readonly Dictionary<string, string> ValidNames = new()
    {
        ["one byte"] = "a",
        ["255 ascii bytes"] = new string('a', 255),
        ["255 bytes in 128 chars"] = string.Concat(Enumerable.Repeat("é", 127)) + "a",
        ["emoji"] = "😀 events",
        ["spaces"] = "  padded  ",
        ["path-like"] = "../../escape/../x",
        ["slashes"] = "a/b\\c",
        ["dots"] = "..",
        ["dot"] = ".",
        ["reserved on windows"] = "CON",
        ["punctuation"] = "a:b*c?d\"e<f>g|h",
        ["percent"] = "%2F%00",
    };

    public static TheoryData<string, string> ValidNameCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in Kinds.Both)
        {
            foreach (var name in ValidNames.Keys) data.Add(kind, name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ValidNameCases))]
    public async Task Unusual_but_valid_topic_names_work_and_stay_apart(string kind, string name)
    {
        var topic = ValidNames[name];
        await using var store = CoreStore.Open(kind);
        Assert.Equal("1000-0", await store.Engine.CommitAsync(topic, Encoding.UTF8.GetBytes("first")));
        Assert.Equal("1000-0", await store.Engine.CommitAsync("plain", Encoding.UTF8.GetBytes("plain")));
        Assert.Equal("1000-1", await store.Engine.CommitAsync(topic, Encoding.UTF8.GetBytes("second")));
        if (store.Kind.IsPersistent) await store.ReopenAsync();
        Assert.Equal(["first", "second"], (await store.Engine.RangeAsync(topic)).Select(e => e.BodyText));
        Assert.Equal(["second", "first"], (await store.Engine.RevRangeAsync(topic)).Select(e => e.BodyText));
        Assert.Equal(2, await store.Engine.LengthAsync(topic));
        Assert.Equal(["plain"], (await store.Engine.RangeAsync("plain")).Select(e => e.BodyText));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Path_like_topic_names_write_nothing_outside_the_store(string kind)
    {
        using var outside = new TempDirectory();
        var storeDir = Directory.CreateDirectory(outside.Combine("store")).FullName;
        var before = Directory.GetFileSystemEntries(outside.Path).Order(StringComparer.Ordinal).ToArray();
        var engine = kind == "disk" ? LogEngine.Open(storeDir) : LogEngine.OpenInMemory();
        await using (engine)
        {
            await engine.CommitAsync("../outside", new byte[] { 1 });
            await engine.CommitAsync("../../outside", new byte[] { 2 });
            await engine.CommitAsync("/tmp/absolute", new byte[] { 3 });
            Assert.Equal([1], (await engine.RangeAsync("../outside"))[0].Body.ToArray());
        }
        Assert.Equal(before, Directory.GetFileSystemEntries(outside.Path).Order(StringComparer.Ordinal).ToArray());
        Assert.False(File.Exists("/tmp/absolute") || Directory.Exists("/tmp/absolute"));
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Topic_names_are_case_sensitive(string kind)
    {
        await using var store = CoreStore.Open(kind);
        await store.Engine.CommitAsync("Topic", new byte[] { 1 });
        await store.Engine.CommitAsync("topic", new byte[] { 2 });
        await store.Engine.CommitAsync("topic", new byte[] { 3 });
        if (store.Kind.IsPersistent) await store.ReopenAsync();
        Assert.Equal(1, await store.Engine.LengthAsync("Topic"));
        Assert.Equal(2, await store.Engine.LengthAsync("topic"));
        await CoreStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.LengthAsync("TOPIC"));
    }

    public static TheoryData<string, string> ReadOperations() => Kinds.With("RangeAsync", "RevRangeAsync", "LengthAsync");

    [Theory]
    [MemberData(nameof(ReadOperations))]
    public async Task Never_committed_topic_is_invalid_topic(string kind, string operation)
    {
        await using var store = CoreStore.Open(kind);
        await CoreStore.ThrowsAsync(LogEngineError.InvalidTopic, () => Run(store.Engine, operation, "never"));
        await store.Engine.CommitAsync("other", new byte[] { 1 });
        await CoreStore.ThrowsAsync(LogEngineError.InvalidTopic, () => Run(store.Engine, operation, "never"));
    }

    [Theory]
    [MemberData(nameof(ReadOperations))]
    public async Task Never_committed_topic_is_invalid_topic_whatever_the_bounds(string kind, string operation)
    {
        await using var store = CoreStore.Open(kind);
        await store.Engine.CommitAsync("other", new byte[] { 1 });
        var options = new RangeOptions { Start = ":0", End = "1000", Limit = 1, Exclusive = true };
        await CoreStore.ThrowsAsync(LogEngineError.InvalidTopic, async () =>
        {
            switch (operation)
            {
                case "RangeAsync": await store.Engine.RangeAsync("never", options); break;
                case "RevRangeAsync": await store.Engine.RevRangeAsync("never", options); break;
                default: await store.Engine.LengthAsync("never"); break;
            }
        });
    }

    [Theory]
    [MemberData(nameof(StoreKind.All), MemberType = typeof(StoreKind))]
    public async Task Topic_exists_after_its_first_commit(string kind)
    {
        await using var store = CoreStore.Open(kind);
        await CoreStore.ThrowsAsync(LogEngineError.InvalidTopic, async () => await store.Engine.LengthAsync("t"));
        await store.Engine.CommitAsync("t", ReadOnlyMemory<byte>.Empty);
        Assert.Equal(1, await store.Engine.LengthAsync("t"));
        Assert.Equal(["1000-0"], CoreStore.IdsOf(await store.Engine.RangeAsync("t")));
    }
}
