using Spectre.Console;

namespace Engine.Host.Cli;

/// <summary>
/// Where a command reads and writes: the process's console, or (in tests) writers of the caller's.
/// Tables and progress go through <see cref="Console"/>, which writes plain text when the output is
/// not a terminal, so piped output carries no escape codes.
/// </summary>
internal sealed class CliIo(TextWriter output, TextWriter error, TextReader input, bool interactive)
{
    public TextWriter Out { get; } = output;

    public TextWriter Err { get; } = error;

    public TextReader In { get; } = input;

    /// <summary>Whether a person is watching a terminal (progress bars and live views only then).</summary>
    public bool Interactive { get; } = interactive;

    // Made when first used: setting Spectre's console up (detecting the terminal, compiling its
    // code) took a fifth of a short verb's run, and verbs that print plain lines never use it.
    private readonly Lazy<IAnsiConsole> _console = new(() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
    }));

    public IAnsiConsole Console => _console.Value;

    public static CliIo ForProcess() => new(System.Console.Out, System.Console.Error, System.Console.In,
        !System.Console.IsOutputRedirected);
}
