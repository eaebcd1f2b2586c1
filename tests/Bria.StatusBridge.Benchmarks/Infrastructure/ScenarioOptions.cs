using System.Globalization;

namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary><c>scenario --name value --flag</c>, read by name with a default (and a smaller one under <c>--smoke</c>).</summary>
internal sealed class ScenarioOptions
{
    private readonly Dictionary<string, string?> _values;

    private ScenarioOptions(string scenario, Dictionary<string, string?> values)
    {
        Scenario = scenario;
        _values = values;
    }

    public string Scenario { get; }

    public bool Smoke => _values.ContainsKey("smoke");

    /// <summary><c>--out</c>, or <c>artifacts/benchmarks</c> at the repository's root (<c>dotnet run</c> starts in the project folder).</summary>
    public string OutputDirectory => Text("out", Path.Combine(RepositoryRoot(), "artifacts", "benchmarks"));

    public IReadOnlyDictionary<string, string?> Given => _values;

    public static ScenarioOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}': options are --name value.");
            }

            var name = args[i][2..];
            string? value = null;
            if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            values[name] = value;
        }

        return new ScenarioOptions(args[0], values);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Bria.StatusBridge.sln")))
            {
                return directory.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }

    public string Text(string name, string fallback) => _values.TryGetValue(name, out var value) && value is not null ? value : fallback;

    public double Number(string name, double fallback, double smoke) =>
        _values.TryGetValue(name, out var value) && value is not null
            ? double.Parse(value, CultureInfo.InvariantCulture)
            : Smoke ? smoke : fallback;

    public int Integer(string name, int fallback, int smoke) => (int)Number(name, fallback, smoke);

    public IReadOnlyList<int> Integers(string name, string fallback, string smoke) =>
        [.. Text(name, Smoke ? smoke : fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture))];
}
