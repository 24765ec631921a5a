namespace Engine.Bench.Workloads;

/// <summary>
/// The engine feature a workload measures is not in this build yet (it throws "not available");
/// the runner reports the workload as skipped instead of failed.
/// </summary>
internal sealed class FeatureUnavailableException(string message) : Exception(message);
