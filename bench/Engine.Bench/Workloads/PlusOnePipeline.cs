using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Engine.Bench.Workloads;

/// <summary>
/// One pass of W5's pipeline: a system proc that adds one to the number in each record, from a
/// new input topic to a new output topic. The processor is either the Increment DLL, run in the
/// engine's worker processes, or <see cref="AddOneInline"/>, the same code run in this process.
/// </summary>
internal static class PlusOnePipeline
{
    /// <summary>How long a pass may take before it is declared stuck (a lost wake-up or a dead pipeline would hang it otherwise).</summary>
    private static TimeSpan Timeout(BenchContext context) => context.Quick ? TimeSpan.FromMinutes(2) : TimeSpan.FromMinutes(10);

    /// <summary>
    /// Registers the system proc <paramref name="name"/> (reading <c>name-in</c>, writing
    /// <c>name-out</c>) with <paramref name="count"/> records per batch, run by the DLL at
    /// <paramref name="dll"/> or, when it is null, inline. Then commits <paramref name="records"/>
    /// inputs 0 … records−1 in batches of 100 and returns the time from the first commit until
    /// <see cref="ILogClient.WaitForProcsAsync"/> returns: the processing overlaps the commits, as in
    /// a live pipeline. Checks that the outputs are exactly 1 … records, each once.
    /// </summary>
    public static async Task<TimeSpan> RunAsync(BenchContext context, LogEngine engine, string? dll, string name, int records, int count, string who)
    {
        var (from, to) = ($"{name}-in", $"{name}-out");
        var options = new SystemProcOptions { Name = name, From = [from], To = [to], Count = count };
        options = dll is null ? options with { InlineProcessor = AddOneInline } : options with { Processor = dll };
        await engine.SystemProcAsync(options);
        var batches = InputBatches(from, records); // built before the clock starts

        context.Log($"{who}: {records:N0} records through +1 with Count {count}, {from} → {to}");
        using var timeout = new CancellationTokenSource(Timeout(context));
        var started = Stopwatch.GetTimestamp();
        try
        {
            foreach (var batch in batches) await engine.CommitAsync(batch, timeout.Token);
            await engine.WaitForProcsAsync([name], timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new BenchCheckException($"{who}: the pipeline did not finish within {Timeout(context).TotalMinutes:N0} min: " +
                $"{await engine.LengthAsync(to):N0} of {records:N0} outputs in {to}");
        }
        var elapsed = Stopwatch.GetElapsedTime(started);

        await CheckOutputsAsync(engine, to, records, who);
        return elapsed;
    }

    /// <summary>
    /// The sample's processor (workers/Samples/Increment), line for line, as an inline processor:
    /// the same parsing and formatting, so that what differs from the DLL is only where it runs.
    /// </summary>
    public static ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>> AddOneInline(IReadOnlyList<LogEntry> logs, CancellationToken ct)
    {
        var outputs = new ReadOnlyMemory<byte>[logs.Count];
        for (var i = 0; i < logs.Count; i++)
        {
            var value = long.Parse(Encoding.UTF8.GetString(logs[i].Body.Span).Trim(), CultureInfo.InvariantCulture);
            outputs[i] = Encoding.UTF8.GetBytes(checked(value + 1).ToString(CultureInfo.InvariantCulture));
        }
        return ValueTask.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>>(outputs);
    }

    /// <summary>
    /// The inputs 0 … records−1, in commits of <see cref="EngineFill.BatchSize"/>. Each body is the
    /// number in decimal padded with spaces to the run's 100-byte body size (the processor trims).
    /// </summary>
    private static List<CommitLog[]> InputBatches(string topic, int records)
    {
        var batches = new List<CommitLog[]>();
        for (var first = 0; first < records; first += EngineFill.BatchSize)
        {
            var batch = new CommitLog[Math.Min(EngineFill.BatchSize, records - first)];
            for (var i = 0; i < batch.Length; i++)
                batch[i] = new CommitLog(topic, Encoding.UTF8.GetBytes((first + i).ToString(CultureInfo.InvariantCulture).PadRight(BenchContext.BodySize)));
            batches.Add(batch);
        }
        return batches;
    }

    /// <summary>
    /// Exactly <paramref name="records"/> outputs, each a number in 1 … records and none twice (so
    /// none is missing), whose sum is that of the inputs plus one each. The order is not checked:
    /// nothing promises it across workers.
    /// </summary>
    private static async Task CheckOutputsAsync(LogEngine engine, string topic, int records, string who)
    {
        var outputs = await engine.RangeAsync(topic);
        Expect.Count($"{who} outputs in {topic}", records, outputs.Count);
        var seen = new bool[records];
        long sum = 0;
        foreach (var output in outputs)
        {
            Expect.True(long.TryParse(output.Body.Span, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var value),
                $"{who}: output {output.Id} is not a number: '{output.BodyText}'");
            Expect.True(value >= 1 && value <= records, $"{who}: output {output.Id} is {value}, outside 1 … {records:N0} (inputs 0 … {records - 1:N0}, plus one)");
            Expect.True(!seen[value - 1], $"{who}: output {value} appears twice (the second is {output.Id})");
            seen[value - 1] = true;
            sum += value;
        }
        Expect.Count($"{who} sum of the outputs (Σ input + 1)", (long)records * (records + 1) / 2, sum);
    }
}
