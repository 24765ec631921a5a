namespace Engine;

/// <summary>Where a live proc starts.</summary>
public enum LiveMode
{
    /// <summary>From the start of the topic (offset <c>"&gt;"</c>).</summary>
    All,
    /// <summary>Only records committed after the live proc was created (offset <c>"$&gt;"</c>).</summary>
    Live,
}
