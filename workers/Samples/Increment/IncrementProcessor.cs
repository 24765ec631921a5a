using System.Globalization;
using System.Text;
using Engine;

namespace Increment;

/// <summary>
/// The "+1" processor: each record's body is a decimal number (spaces around it are ignored);
/// the output is that number plus one. Dropped into a processors directory it registers the
/// system proc "increment", from "numbers" to "incremented".
/// </summary>
[SystemProc("increment", From = ["numbers"], To = ["incremented"], Count = 100)]
public sealed class IncrementProcessor : IProcessor
{
    public ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>> ProcessAsync(IReadOnlyList<LogEntry> logs, CancellationToken ct)
    {
        var outputs = new ReadOnlyMemory<byte>[logs.Count];
        for (var i = 0; i < logs.Count; i++)
        {
            var value = long.Parse(Encoding.UTF8.GetString(logs[i].Body.Span).Trim(), CultureInfo.InvariantCulture);
            outputs[i] = Encoding.UTF8.GetBytes(SampleMath.Arithmetic.Next(value).ToString(CultureInfo.InvariantCulture));
        }
        return ValueTask.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>>(outputs);
    }
}
