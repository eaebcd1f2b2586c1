using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>What one scenario run found: tables, notes, plots and raw figures, written as JSON and Markdown.</summary>
internal sealed class Report(string scenario, string command)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Scenario { get; } = scenario;

    public List<Table> Tables { get; } = [];

    public List<string> Notes { get; } = [];

    public List<(string Name, string Title, string Svg)> Plots { get; } = [];

    /// <summary>Other files beside the report (raw data, for example), each linked from the Markdown.</summary>
    public List<(string Name, string Title, string Content)> Files { get; } = [];

    public Dictionary<string, string> Parameters { get; } = [];

    /// <summary>Raw figures for the JSON file.</summary>
    public JsonObject Data { get; } = [];

    public Table AddTable(string title, params string[] columns)
    {
        var table = new Table(title, columns);
        Tables.Add(table);
        return table;
    }

    public async Task<(string Json, string Markdown)> WriteAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var machine = new JsonObject
        {
            ["cores"] = Environment.ProcessorCount,
            ["os"] = RuntimeInformation.OSDescription,
            ["runtime"] = RuntimeInformation.FrameworkDescription,
        };
        var json = new JsonObject
        {
            ["scenario"] = Scenario,
            ["command"] = command,
            ["finished_at"] = DateTimeOffset.UtcNow.ToString("O"),
            ["machine"] = machine,
            ["parameters"] = new JsonObject(Parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["data"] = Data.DeepClone(),
            ["tables"] = new JsonArray([.. Tables.Select(t => (JsonNode)new JsonObject
            {
                ["title"] = t.Title,
                ["columns"] = new JsonArray([.. t.Columns.Select(c => (JsonNode)c)]),
                ["rows"] = new JsonArray([.. t.Rows.Select(r => (JsonNode)new JsonArray([.. r.Select(c => (JsonNode)c)]))]),
            })]),
            ["notes"] = new JsonArray([.. Notes.Select(n => (JsonNode)n)]),
        };
        var jsonPath = Path.Combine(directory, $"{Scenario}.json");
        await File.WriteAllTextAsync(jsonPath, json.ToJsonString(Json), cancellationToken);

        var text = new StringBuilder();
        text.Append("## ").AppendLine(Scenario).AppendLine();
        text.Append("Command: `").Append(command).AppendLine("`  ");
        text.Append("Machine: ").Append(Environment.ProcessorCount).Append(" cores, ").Append(RuntimeInformation.OSDescription)
            .Append(", ").Append(RuntimeInformation.FrameworkDescription).AppendLine("  ");
        if (Parameters.Count > 0)
        {
            text.Append("Parameters: ").AppendJoin(", ", Parameters.Select(p => $"{p.Key} = {p.Value}")).AppendLine();
        }

        text.AppendLine();
        foreach (var table in Tables)
        {
            text.AppendLine(table.ToMarkdown());
        }

        foreach (var (name, title, svg) in Plots)
        {
            var file = $"{Scenario}-{name}.svg";
            await File.WriteAllTextAsync(Path.Combine(directory, file), svg, cancellationToken);
            text.Append("![").Append(title).Append("](").Append(file).AppendLine(")").AppendLine();
        }

        foreach (var (name, title, content) in Files)
        {
            var file = $"{Scenario}-{name}";
            await File.WriteAllTextAsync(Path.Combine(directory, file), content, cancellationToken);
            text.Append('[').Append(title).Append("](").Append(file).AppendLine(")").AppendLine();
        }

        foreach (var note in Notes)
        {
            text.Append("- ").AppendLine(note);
        }

        var markdownPath = Path.Combine(directory, $"{Scenario}.md");
        await File.WriteAllTextAsync(markdownPath, text.ToString(), cancellationToken);
        return (jsonPath, markdownPath);
    }
}
