namespace Engine.Bridge.Nats;

/// <summary>What a running bridge has done. The export lag is the export procs' lag (<c>ListProcsAsync</c>).</summary>
/// <param name="Exported">Records whose publish JetStream acknowledged (duplicates included) since start.</param>
/// <param name="Imported">Messages committed to topics since start.</param>
/// <param name="SkippedRedeliveries">Messages delivered again after their commit, recognised by stream sequence and skipped.</param>
/// <param name="LastFault">The last failure waited out, if any.</param>
public sealed record NatsBridgeStatus(long Exported, long Imported, long SkippedRedeliveries, NatsBridgeFault? LastFault);
