using System.CommandLine;

namespace Engine.Host.Cli;

/// <summary><c>engine topics</c>: every topic with its length and first and last ids.</summary>
internal static class TopicsCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("topics", """
            List every topic: records kept, first and last id.
            Example: engine topics --path data        engine topics --namespace myapp --json
            """).WithStoreOptions();
        command.SetAction((result, ct) => StoreAccess.RunAsync(result, io, "topics", async client =>
        {
            var topics = await client.ListTopicsAsync(ct);
            if (result.GetValue(StoreAccess.Json)) Output.Json(io, topics);
            else Output.Table(io, ["topic", "length", "first id", "last id"],
                topics.Select(t => new[] { t.Name, t.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), t.FirstId, t.LastId }));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
