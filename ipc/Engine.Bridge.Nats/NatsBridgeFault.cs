namespace Engine.Bridge.Nats;

/// <summary>A failure the bridge is waiting out: nothing was dropped, the batch will be tried again.</summary>
/// <param name="Direction">"export" or "import".</param>
/// <param name="Topic">The Engine topic concerned.</param>
/// <param name="Message">What went wrong, in words an operator can act on.</param>
/// <param name="RetryIn">How long the bridge waits before the next attempt.</param>
/// <param name="Exception">The underlying exception, if any.</param>
public sealed record NatsBridgeFault(string Direction, string Topic, string Message, TimeSpan RetryIn, Exception? Exception);
