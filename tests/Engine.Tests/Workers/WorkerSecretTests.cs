using Engine.Tests.Support;
using Engine.Workers.Supervision;

namespace Engine.Tests.Workers;

/// <summary>
/// A worker connects to the engine's channel with a secret that reaches it through its environment,
/// not its command line (which `ps` shows to every user of the machine).
/// </summary>
public sealed class WorkerSecretTests
{
    [SkippableFact]
    public async Task A_worker_gets_the_channel_token_from_its_environment_and_not_its_command_line()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads /proc/<pid>/cmdline");
        await using var store = WorkerEngine.Open(workers: 1);
        var dll = Samples.CopyTo("Increment", store.Processors);
        await store.Engine.SystemProcAsync(new SystemProcOptions { Name = "inc", From = ["in"], To = ["out"], Processor = dll });
        await store.CommitNumbersAsync("in", 0, 3);

        await store.WaitForProcsAsync("inc"); // the worker connected (the channel refuses a wrong token) and ran the batch

        Assert.Equal(["1", "2", "3"], await store.BodiesAsync("out"));
        var worker = (await store.Engine.GetStatsAsync()).Workers.Single();
        var commandLine = CommandLine.Of(worker.ProcessId);
        Assert.Contains("--worker-id", commandLine, StringComparison.Ordinal);
        Assert.DoesNotContain(((WorkerRuntime)store.Engine.Runtime()).Token, commandLine, StringComparison.Ordinal);
    }
}
