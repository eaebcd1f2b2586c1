using System.Text.RegularExpressions;
using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.FirstContact;

/// <summary>The README's first command, run as it says (the built binary with the same argument), against the README's
/// own promise of what it prints.</summary>
public sealed partial class DemoCommandTests
{
    private const string ReadmeCommand = "dotnet run --project src/Bria.StatusBridge -- demo";

    [Fact]
    public async Task Demo_prints_every_outcome_the_README_promises_with_nothing_before_its_own_lines()
    {
        var readme = Repository.Read("README.md");
        Assert.Contains(ReadmeCommand, readme, StringComparison.Ordinal);
        var promised = PromisedOutcomes(readme);
        Assert.True(promised.Count >= 8, $"The README's demo output lists {promised.Count} outcomes.");

        await using var demo = CommandProcess.Start(["demo"]);
        var summary = await demo.WaitForLineAsync(line => line.StartsWith("All ", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
        var serving = await demo.WaitForLineAsync(line => line.StartsWith("The bridge keeps serving at ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        var output = demo.Output;
        // The demo's own lines come first: no simulator start-up lines, no framework warnings.
        Assert.True(output[0].StartsWith("Bria simulator at ", StringComparison.Ordinal), $"The first line is not the demo's:\n{demo.Transcript()}");
        Assert.True(demo.Errors.Count == 0, $"The demo wrote to standard error:\n{demo.Transcript()}");
        Assert.DoesNotContain(output, line => line.Contains("\"LogLevel\"", StringComparison.Ordinal) || line.StartsWith("info:", StringComparison.Ordinal) || line.StartsWith("warn:", StringComparison.Ordinal));
        foreach (var (title, expected) in promised)
        {
            Assert.True(
                output.Any(line => line.Contains(title, StringComparison.Ordinal) && line.Contains("-> " + expected, StringComparison.Ordinal)),
                $"'{title}' did not end in {expected}:\n{demo.Transcript()}");
        }

        Assert.StartsWith($"All {promised.Count} outcomes arrived", summary, StringComparison.Ordinal);
        Assert.Contains("(health: /healthz)", serving, StringComparison.Ordinal);
    }

    // "  +  3.5s  id expires: 404 NOT_FOUND   -> RequestFailed (NotFound)   Bria done ..." promises RequestFailed (NotFound);
    // a completion promises RequestCompleted (its file name changes with every run).
    private static List<(string Title, string Expected)> PromisedOutcomes(string readme)
    {
        var block = DemoBlock().Match(readme);
        Assert.True(block.Success, "README.md has no demo output block after 'What the demo prints'.");
        return
        [
            .. block.Groups["body"].Value.Split('\n')
                .Select(line => PromisedLine().Match(line))
                .Where(m => m.Success)
                .Select(m => (m.Groups["title"].Value, m.Groups["event"].Value == "RequestFailed" ? $"RequestFailed ({m.Groups["what"].Value})" : "RequestCompleted")),
        ];
    }

    [GeneratedRegex("What the demo prints[^`]*```\\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex DemoBlock();

    [GeneratedRegex(@"^\s*\+\s*[\d.]+s\s+(?<title>.+?)\s+->\s+(?<event>Request\w+) \((?<what>[^)]*)\)")]
    private static partial Regex PromisedLine();
}
