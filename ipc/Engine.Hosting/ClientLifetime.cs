using Engine.Ipc;
using Microsoft.Extensions.Options;

namespace Engine.Hosting;

/// <summary>The connection of <c>AddLogClient</c>: a lost connection is re-established by the client itself.</summary>
internal sealed class ClientLifetime(IOptions<LogClientServiceOptions> options) : ServiceLifetime<LogClient>
{
    protected override ValueTask<LogClient> OpenAsync(CancellationToken ct) => LogClient.ConnectAsync(options.Value.ToConnectOptions(), ct);
}
