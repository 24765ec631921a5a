using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Engine.Bridge.Nats;

/// <summary>
/// Creates <see cref="NatsBridgeOptions.ExportStream"/> when it is missing, waiting for the server
/// like everything else. An existing stream is left exactly as the operator configured it.
/// </summary>
internal sealed class StreamProvisioner(INatsJSContext js, NatsBridgeOptions options, BridgeReporter reporter)
{
    public async Task RunAsync(CancellationToken ct)
    {
        if (options.ExportStream is not { } name || options.Exports.Count == 0) return;
        var subjects = options.Exports.Select(e => e.Subject).Distinct(StringComparer.Ordinal).ToArray();
        var backoff = new Backoff(options.RetryMin, options.RetryMax);
        while (true)
        {
            try
            {
                try
                {
                    await js.GetStreamAsync(name, cancellationToken: ct);
                    return;
                }
                catch (NatsJSApiException e) when (e.Error.Code == 404)
                {
                    await js.CreateStreamAsync(new StreamConfig(name, subjects) { Storage = StreamConfigStorage.File }, ct);
                    reporter.Logger.LogStreamCreated(name, string.Join(",", subjects));
                    return;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // server absent or refusing: reported and waited out
            catch (Exception e)
#pragma warning restore CA1031
            {
                var wait = backoff.Next();
                reporter.Fault(new NatsBridgeFault("export", string.Join(",", options.Exports.Select(x => x.Topic)),
                    $"could not make sure stream '{name}' exists: {e.Message}", wait, e));
                await Task.Delay(wait, ct);
            }
        }
    }
}
