using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bria.StatusBridge.IntegrationTests.Api;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Simulator.Jobs;
using StandardWebhooks;

namespace Bria.StatusBridge.IntegrationTests.FirstContact;

/// <summary>The README's partner walkthrough, its curl commands run as written against a running bridge. Only what
/// differs on a test machine is replaced: the bridge's address, the ids and key the earlier answers gave, and the
/// receiver's port.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed partial class ReadmeWalkthroughTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string ReadmeRequestId = "7f3c0a9e";

    [Fact]
    public async Task The_partner_walkthrough_runs_as_written()
    {
        var commands = WalkthroughCommands(Repository.Read("README.md"));
        Assert.Equal(7, commands.Count);
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        // Bria knows the request and is still working on it when the walkthrough cancels it.
        api.Simulator.State.CreateJob(new JobSpec { RequestId = ReadmeRequestId, EndpointKind = JobKind.Image, DurationMs = 600_000, Outcome = JobOutcome.Completed });
        var environment = new Dictionary<string, string> { ["ADMIN_API_KEY"] = ApiBridge.AdminKey };
        var bridge = $"{api.Bridge.BaseUrl.Host}:{api.Bridge.BaseUrl.Port}";
        string? partnerId = null;
        var answers = new List<JsonObject>();

        foreach (var (command, expected) in commands.Zip(new[] { 201, 201, 201, 202, 200, 200, 200 }))
        {
            var concrete = command
                .Replace("localhost:8080", bridge, StringComparison.Ordinal)
                .Replace("http://127.0.0.1:9000/bria", receiver.Url("bria").ToString(), StringComparison.Ordinal)
                .Replace("prt_…", partnerId ?? "prt_…", StringComparison.Ordinal);
            var (status, body) = await CurlAsync(concrete, environment);
            Assert.True(status == expected, $"{concrete}\nanswered {status} (expected {expected}): {body}");
            var answer = JsonNode.Parse(body)!.AsObject();
            answers.Add(answer);
            partnerId ??= (string?)answer["partner_id"];
            if (answer["key"] is { } key && ((string)key!).StartsWith("sbk_", StringComparison.Ordinal))
            {
                environment["KEY"] = (string)key!;
            }
        }

        Assert.Equal("tracking", (string)answers[4]["state"]!);
        Assert.StartsWith("whsec_", (string)answers[5]["key"]!, StringComparison.Ordinal);
        Assert.Equal("request_cancelled", (string)answers[6]["outcome"]!);

        // The registered endpoint hears the cancellation, signed with the secret its registration answered.
        await Eventually.HoldsAsync(
            () => Task.FromResult(receiver.On("/bria").Count > 0),
            TimeSpan.FromSeconds(30),
            () => $"no webhook reached the endpoint; received: {receiver.Received.Count}");
        var delivered = receiver.On("/bria")[0];
        new StandardWebhook((string)answers[2]["secret"]!).Verify(delivered.Body, delivered.Headers);
        var payload = JsonNode.Parse(delivered.Body)!;
        Assert.Equal("request.failed", (string)payload["type"]!);
        Assert.Equal("cancelled", (string)payload["data"]!["reason"]!);
        Assert.Equal("order-17", (string)payload["data"]!["correlation_id"]!);
    }

    // The curl commands of the README's partner block, continuation lines joined and trailing comments dropped.
    private static List<string> WalkthroughCommands(string readme)
    {
        var block = PartnerBlock().Match(readme);
        Assert.True(block.Success, "README.md has no partner walkthrough block.");
        var joined = block.Groups["body"].Value.Replace("\\\n", " ", StringComparison.Ordinal);
        return
        [
            .. joined.Split('\n')
                .Select(line => line.Trim())
                .Where(line => line.StartsWith("curl ", StringComparison.Ordinal))
                .Select(line => TrailingComment().Replace(line, "")),
        ];
    }

    private static async Task<(int Status, string Body)> CurlAsync(string command, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command + " -w '\\n%{http_code}'");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{command}\nexited with {process.ExitCode}: {errors}");
        var cut = output.LastIndexOf('\n');
        return (int.Parse(output[(cut + 1)..], System.Globalization.CultureInfo.InvariantCulture), output[..cut]);
    }

    [GeneratedRegex("```sh\\n(?<body># the bridge with an operator key.*?)```", RegexOptions.Singleline)]
    private static partial Regex PartnerBlock();

    [GeneratedRegex(@"\s+#[^'""]*$")]
    private static partial Regex TrailingComment();
}
