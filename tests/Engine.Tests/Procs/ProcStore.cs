using System.Text;
using Engine.Tests.Support;

namespace Engine.Tests.Procs;

/// <summary>
/// A <see cref="FakeClockStore"/> plus the helpers the proc tests share; ids are <c>"&lt;clock ms&gt;-&lt;seq&gt;"</c>.
/// </summary>
internal sealed class ProcStore(string kind) : FakeClockStore(kind, StartMs)
{
    /// <summary>Where the fake clock starts, in Unix milliseconds.</summary>
    public const long StartMs = 1_000_000;

    /// <summary>A safety net for awaits that must end; never an expectation about speed.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    /// <summary>The fake clock now, in Unix milliseconds.</summary>
    public long NowMs => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    public static ProcStore Open(string kind) => new(kind);

    /// <summary>Moves the fake clock forward.</summary>
    public void Advance(TimeSpan by) => Clock.Advance(by);

    /// <summary>Moves the fake clock forward by <paramref name="ms"/> milliseconds.</summary>
    public void AdvanceMs(long ms) => Clock.Advance(TimeSpan.FromMilliseconds(ms));

    /// <summary>Closes the engine and opens the same directory again (disk only makes sense).</summary>
    public Task ReopenAsync() => ReopenEngineAsync();

    /// <summary>Commits <paramref name="count"/> records to <paramref name="topic"/>, one call each; returns their ids.</summary>
    public async Task<string[]> CommitAsync(string topic, int count)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = await Engine.CommitAsync(topic, Encoding.UTF8.GetBytes($"{topic} {i}"));
        }
        return ids;
    }

    /// <summary>The id a record with <paramref name="seq"/> committed now gets.</summary>
    public string IdNow(long seq) => $"{NowMs}-{seq}";

    /// <summary>The range string of a claim: one id, or <c>"first..last"</c>.</summary>
    public static string RangeOf(params string[] ids) => ids.Length switch
    {
        0 => "",
        1 => ids[0],
        _ => $"{ids[0]}..{ids[^1]}",
    };

    /// <summary>Asserts a synchronous call throws a <see cref="LogEngineException"/> with <paramref name="code"/>.</summary>
    public static LogEngineException Throws(LogEngineError code, Action act)
    {
        var ex = Assert.Throws<LogEngineException>(act);
        Assert.Equal(code, ex.Code);
        return ex;
    }

}
