using System.Globalization;
using System.Text;

namespace Engine.Samples.WorkerService;

/// <summary>
/// Follows "numbers" with a live proc (records are pushed as they arrive, no polling) and, for
/// each batch, acks it and commits the doubled numbers to "doubled" in one atomic step: a crash
/// between the two cannot lose or repeat a batch.
/// </summary>
internal sealed partial class Doubler(ILogClient engine, IConfiguration configuration, ILogger<Doubler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (configuration.GetValue<int?>("seed") is { } seed and > 0)
            await engine.CommitAsync([.. Enumerable.Range(1, seed).Select(n => new CommitLog("numbers", Encoding.UTF8.GetBytes(n.ToString(CultureInfo.InvariantCulture))))], stoppingToken);

        await using var numbers = engine.LiveProc("numbers", LiveMode.All, count: 100);
        try
        {
            await foreach (var batch in numbers.ChangesAsync(stoppingToken))
            {
                var doubled = batch.Select(e => new CommitLog("doubled", Encoding.UTF8.GetBytes((2 * long.Parse(e.BodyText, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture))));
                var result = await numbers.AckCommitAsync([.. doubled], stoppingToken);
                Processed(logger, batch.Count, result.AckedRange);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Doubled {Count} numbers ({Range})")]
    private static partial void Processed(ILogger logger, int count, string range);
}
