using System.CommandLine;
using Engine.Host.Cli;

namespace Engine.Tests.Cli;

/// <summary>
/// <c>engine serve --help</c> describes every option, and every quantity with its unit; sizes and
/// durations take units (1MiB, 250ms) on every verb, as the bench does.
/// </summary>
public sealed class ServeHelpTests
{
    private static RootCommand Root() => EngineCli.Build(new CliIo(new StringWriter(), new StringWriter(), new StringReader(""), false));

    [Fact]
    public async Task Serve_help_describes_every_option_and_names_each_quantitys_unit()
    {
        var help = await CliRun.RunAsync("serve", "--help");
        var serve = Root().Subcommands.Single(c => c.Name == "serve");

        Assert.Equal(0, help.Code);
        var missing = new List<string>();
        foreach (var option in serve.Options.Where(o => o.Name is not ("--help" or "-h" or "-?")))
        {
            var description = option.Description ?? "";
            if (description.Length == 0) missing.Add($"{option.Name}: no description");
            else if (!help.Out.Contains(description[..Math.Min(30, description.Length)], StringComparison.Ordinal)) missing.Add($"{option.Name}: not in --help");
            var unit = option.ValueType switch
            {
                var t when t == typeof(TimeSpan) || t == typeof(TimeSpan?) => "ms",
                var t when t == typeof(long) => "MiB",
                var t when t == typeof(int) => "a count",
                _ => null,
            };
            if (unit is not null && !description.Contains(unit, StringComparison.Ordinal)) missing.Add($"{option.Name}: no unit ({unit}) in \"{description}\"");
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public void Serve_reads_sizes_and_durations_with_their_units()
    {
        var parsed = Root().Parse(["serve", "--segment-size", "1MiB", "--max-frame-size", "512KiB", "--flush-interval", "250ms",
            "--gc-min-prune", "1h", "--gc-interval", "2m", "--idle-timeout", "1.5s"]);

        Assert.Empty(parsed.Errors);
        Assert.Equal(1L << 20, parsed.GetValue<long>("--segment-size"));
        Assert.Equal(512L << 10, parsed.GetValue<long>("--max-frame-size"));
        Assert.Equal(TimeSpan.FromMilliseconds(250), parsed.GetValue<TimeSpan>("--flush-interval-ms"));
        Assert.Equal(TimeSpan.FromHours(1), parsed.GetValue<TimeSpan?>("--gc-min-prune-ms"));
        Assert.Equal(TimeSpan.FromMinutes(2), parsed.GetValue<TimeSpan?>("--gc-interval-ms"));
        Assert.Equal(TimeSpan.FromSeconds(1.5), parsed.GetValue<TimeSpan>("--idle-timeout-ms"));
        // A bare number keeps meaning what the -ms and size options always took.
        var bare = Root().Parse(["serve", "--flush-interval-ms", "20", "--segment-size", "2097152"]);
        Assert.Equal((TimeSpan.FromMilliseconds(20), 2L << 20), (bare.GetValue<TimeSpan>("--flush-interval-ms"), bare.GetValue<long>("--segment-size")));
    }

    [Fact]
    public void Every_duration_and_size_option_of_every_verb_takes_units()
    {
        var refused = new List<string>();
        foreach (var command in Root().Subcommands.SelectMany(c => c.Subcommands.Prepend(c)))
        {
            foreach (var option in command.Options)
            {
                var sample = option.ValueType == typeof(TimeSpan) || option.ValueType == typeof(TimeSpan?) ? "250ms"
                    : option.ValueType == typeof(long) && option.Name.EndsWith("size", StringComparison.Ordinal) ? "1MiB"
                    : null;
                if (sample is null) continue;
                var path = command.Parents.OfType<Command>().Where(p => p is not RootCommand).Select(p => p.Name).Append(command.Name);
                var errors = Root().Parse([.. path, option.Name, sample]).Errors.Where(e => e.Message.Contains(sample, StringComparison.Ordinal));
                refused.AddRange(errors.Select(e => $"{string.Join(' ', path)} {option.Name} {sample}: {e.Message}"));
            }
        }
        Assert.Empty(refused);
    }
}
