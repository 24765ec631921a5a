using System.Text.RegularExpressions;

namespace Engine.Tests.Readme;

/// <summary>The README's code blocks, by language and by the section they are in.</summary>
internal static partial class ReadmeText
{
    public sealed record Block(string Section, string Language, string Code);

    public static string Read() => File.ReadAllText(Path.Combine(Support.Samples.RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");

    public static IReadOnlyList<Block> Blocks()
    {
        var blocks = new List<Block>();
        var section = "";
        var lines = Read().Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("## ", StringComparison.Ordinal) || lines[i].StartsWith("### ", StringComparison.Ordinal)) section = lines[i].TrimStart('#').Trim();
            if (!lines[i].StartsWith("```", StringComparison.Ordinal) || lines[i].Length == 3) continue;
            var language = lines[i][3..];
            var code = new List<string>();
            for (i++; i < lines.Length && lines[i] != "```"; i++) code.Add(lines[i]);
            blocks.Add(new Block(section, language, string.Join('\n', code) + "\n"));
        }
        return blocks;
    }

    /// <summary>Lines without their common indentation and trailing spaces: how a snippet compares with its copy in code.</summary>
    public static string Dedent(string code)
    {
        var lines = code.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()).ToList();
        var indent = lines.Where(l => l.Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l)) + "\n";
    }

    /// <summary>The snippets between <c>// README: Section</c> and <c>// README: end</c> markers of a source file, by section.</summary>
    public static Dictionary<string, string> Snippets(string source)
    {
        var snippets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in SnippetPattern().Matches(source.ReplaceLineEndings("\n")))
            snippets[match.Groups[1].Value.Trim()] = Dedent(match.Groups[2].Value);
        return snippets;
    }

    [GeneratedRegex(@"// README: ([^\n]+)\n(.*?)\n[ ]*// README: end", RegexOptions.Singleline)]
    private static partial Regex SnippetPattern();
}
