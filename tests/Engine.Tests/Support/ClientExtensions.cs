using Engine.Ipc;

namespace Engine.Tests.Support;

/// <summary>Calls that exist on both <see cref="LogEngine"/> and <see cref="LogClient"/> but are not part of <see cref="ILogClient"/>.</summary>
public static class ClientExtensions
{
    public static ValueTask<GcReport> CollectGarbageAsync(this ILogClient client, CancellationToken ct = default) => client switch
    {
        LogEngine engine => engine.CollectGarbageAsync(ct),
        HostedClient hosted => hosted.Client.CollectGarbageAsync(ct),
        LogClient remote => remote.CollectGarbageAsync(ct),
        _ => throw new NotSupportedException(client.GetType().Name),
    };
}
