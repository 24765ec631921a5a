using Microsoft.Extensions.Logging;

namespace Engine.Bridge.Nats;

/// <summary>Where the bridge's loops report: the logger, the user's callback, and the counters of <see cref="NatsBridgeStatus"/>.</summary>
internal sealed class BridgeReporter(ILogger logger, Action<NatsBridgeFault>? onFault)
{
    private long _exported;
    private long _imported;
    private long _skipped;
    private NatsBridgeFault? _lastFault;

    public ILogger Logger => logger;

    public void Exported(int count) => Interlocked.Add(ref _exported, count);

    public void Imported(int count) => Interlocked.Add(ref _imported, count);

    public void Skipped(int count) => Interlocked.Add(ref _skipped, count);

    public void Fault(NatsBridgeFault fault)
    {
        Volatile.Write(ref _lastFault, fault);
        // The message already names the cause; the stack trace only at Debug, or a retry loop floods the log.
        logger.LogFault(fault.Direction, fault.Topic, fault.Message, fault.RetryIn);
        if (fault.Exception is not null) logger.LogFaultInFull(fault.Exception, fault.Direction, fault.Topic);
        try
        {
            onFault?.Invoke(fault);
        }
#pragma warning disable CA1031 // a throwing callback must not stop the bridge it reports on
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogFaultCallbackThrew(e);
        }
    }

    public NatsBridgeStatus Status() => new(
        Interlocked.Read(ref _exported), Interlocked.Read(ref _imported), Interlocked.Read(ref _skipped), Volatile.Read(ref _lastFault));
}
