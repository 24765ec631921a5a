using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Engine.Host.Cli;

/// <summary>Tables for people, JSON for scripts; every cell is plain text (never read as markup).</summary>
internal static class Output
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>One JSON document.</summary>
    public static void Json<T>(CliIo io, T value) => io.Out.WriteLine(JsonSerializer.Serialize(value, Indented));

    /// <summary>One JSON value on one line (JSON lines: for streams such as tail -f).</summary>
    public static void JsonLine<T>(CliIo io, T value) => io.Out.WriteLine(JsonSerializer.Serialize(value, Compact));

    public static void Table(CliIo io, string[] columns, IEnumerable<string[]> rows)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in columns) table.AddColumn(new TableColumn(new Text(column)));
        foreach (var row in rows) table.AddRow(row.Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell)));
        io.Console.Write(table);
    }

    /// <summary>A record for JSON: id, body as base64, and the body as text when it is UTF-8.</summary>
    public static object Record(LogEntry entry) => new { id = entry.Id, body = Convert.ToBase64String(entry.Body.Span), text = TextOf(entry) };

    /// <summary>The body as UTF-8 text, or null when it is not valid UTF-8.</summary>
    public static string? TextOf(LogEntry entry) => System.Text.Unicode.Utf8.IsValid(entry.Body.Span) ? entry.BodyText : null;

    /// <summary>A record as one line of text: id, a tab, the body (as base64 when it is not UTF-8; newlines escaped).</summary>
    public static string Line(LogEntry entry) =>
        $"{entry.Id}\t{(TextOf(entry) is { } text ? text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) : "base64:" + Convert.ToBase64String(entry.Body.Span))}";
}
