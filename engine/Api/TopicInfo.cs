namespace Engine;

/// <summary>What <see cref="ILogClient.ListTopicsAsync"/> says of one topic.</summary>
/// <param name="Name">The topic's name.</param>
/// <param name="Length">Records it still keeps (after GC).</param>
/// <param name="FirstId">The id of its first kept record, <c>""</c> when it keeps none.</param>
/// <param name="LastId">The id of its last record, <c>""</c> when it keeps none.</param>
public sealed record TopicInfo(string Name, long Length, string FirstId, string LastId);
