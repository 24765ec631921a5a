using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace Engine.Host.Cli;

/// <summary><c>engine commit TOPIC</c>: commits stdin, one record per line (or one JSON value per line with <c>--json-lines</c>), printing the ids.</summary>
internal static class CommitCommand
{
    private static readonly Argument<string> Topic = new("topic") { Description = "The topic to commit to (created on first commit)" };
    private static readonly Option<bool> JsonLines = new("--json-lines") { Description = "Each line is a JSON value: checked, and committed as its UTF-8 bytes" };
    private static readonly Option<int> Batch = new("--batch") { Description = "Lines committed per atomic call", DefaultValueFactory = _ => 1000 };

    public static Command Create(CliIo io)
    {
        var command = new Command("commit", """
            Commit records read from stdin, one per line (UTF-8, without the newline); prints each id. --json prints the ids as a JSON array.
            Example: engine commit numbers --namespace myapp < numbers.txt        echo '{"n":1}' | engine commit events --path data --json-lines
            """) { Topic, JsonLines, Batch }.WithStoreOptions();
        command.SetAction((result, ct) => StoreAccess.RunAsync(result, io, "commit", async client =>
        {
            var topic = result.GetValue(Topic)!;
            var jsonLines = result.GetValue(JsonLines);
            var size = Math.Max(1, result.GetValue(Batch));
            var ids = new List<string>();
            var batch = new List<CommitLog>(size);
            var lineNumber = 0;
            while (await io.In.ReadLineAsync(ct) is { } line)
            {
                lineNumber++;
                if (jsonLines)
                {
                    if (line.Length == 0) continue;
                    try
                    {
                        using var _ = JsonDocument.Parse(line);
                    }
                    catch (JsonException e)
                    {
                        throw new LogEngineException(LogEngineError.InvalidArgument, $"line {lineNumber} is not JSON: {e.Message} (nothing after line {lineNumber - batch.Count} was committed)");
                    }
                }
                batch.Add(new CommitLog(topic, Encoding.UTF8.GetBytes(line)));
                if (batch.Count == size) await FlushAsync();
            }
            await FlushAsync();
            if (result.GetValue(StoreAccess.Json)) Output.Json(io, ids);
            return ExitCodes.Ok;

            async Task FlushAsync()
            {
                if (batch.Count == 0) return;
                var committed = await client.CommitAsync(batch, ct);
                batch.Clear();
                if (result.GetValue(StoreAccess.Json)) ids.AddRange(committed);
                else foreach (var id in committed) io.Out.WriteLine(id);
            }
        }, ct, writes: true));
        return command;
    }
}
