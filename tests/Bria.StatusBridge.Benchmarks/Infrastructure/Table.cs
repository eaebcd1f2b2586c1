using System.Text;

namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>A titled table of text cells, printed to the console and written as Markdown.</summary>
internal sealed class Table(string title, params string[] columns)
{
    public string Title { get; } = title;

    public IReadOnlyList<string> Columns { get; } = columns;

    public List<IReadOnlyList<string>> Rows { get; } = [];

    public void Add(params string[] cells) => Rows.Add(cells);

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("### ").AppendLine(Title).AppendLine();
        text.Append("| ").AppendJoin(" | ", Columns).AppendLine(" |");
        text.Append('|').AppendJoin('|', Columns.Select(_ => "---")).AppendLine("|");
        foreach (var row in Rows)
        {
            text.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        }

        return text.ToString();
    }

    public string ToConsole()
    {
        var widths = Columns.Select((c, i) => Math.Max(c.Length, Rows.Count == 0 ? 0 : Rows.Max(r => i < r.Count ? r[i].Length : 0))).ToArray();
        var text = new StringBuilder();
        text.AppendLine().AppendLine(Title);
        text.AppendJoin("  ", Columns.Select((c, i) => c.PadRight(widths[i]))).AppendLine();
        text.AppendJoin("  ", widths.Select(w => new string('-', w))).AppendLine();
        foreach (var row in Rows)
        {
            text.AppendJoin("  ", row.Select((c, i) => c.PadRight(widths[i]))).AppendLine();
        }

        return text.ToString();
    }
}
