namespace Engine.Ipc.Transport;

/// <summary>
/// Lets socket completions run on the runtime's epoll thread instead of being handed to the
/// thread pool. The host process, which Engine owns, calls this first thing. Its read loops parse
/// frames, answer short requests and go back to reading, so the hand-off is pure overhead (about
/// 5 µs of a one-at-a-time round trip on the 2-core bench machine). The cost: a long request
/// (a huge range) holds up the other connections served by the same epoll thread meanwhile. The
/// runtime reads the setting once, when the first socket is created, so it must be set before that.
/// A value the user already set (including "0") is left alone. Clients, which live in processes
/// Engine does not own, get the same effect from a <see cref="ReaderThread"/> instead.
/// </summary>
internal static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void PreferForThisProcess()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null) Environment.SetEnvironmentVariable(Variable, "1");
    }
}
