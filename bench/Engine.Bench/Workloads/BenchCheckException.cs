namespace Engine.Bench.Workloads;

/// <summary>A workload did not do the work it claims (a wrong record count): the run fails.</summary>
internal sealed class BenchCheckException(string message) : Exception(message);
