using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.Api;

[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class ApiDocumentTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task OpenAPI_document_lists_every_route_with_the_bearer_scheme()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        var document = JsonNode.Parse(await api.CreateClient(null).GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();

        var routes = api.Routes();
        Assert.True(routes.Count >= 23, $"Only {routes.Count} routes mapped: {string.Join(", ", routes)}");
        var missing = routes.Where(r =>
        {
            var (method, path) = (r[..r.IndexOf(' ', StringComparison.Ordinal)], r[(r.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            return paths[path]?[method.ToLowerInvariant()] is null;
        }).ToList();
        Assert.True(missing.Count == 0, "Missing from the OpenAPI document: " + string.Join(", ", missing));
        Assert.Equal("bearer", (string?)document["components"]?["securitySchemes"]?["ApiKey"]?["scheme"]);
    }

    [Fact]
    public async Task OpenAPI_document_reads_as_a_manual_with_every_error_and_examples()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        var document = JsonNode.Parse(await api.CreateClient(null).GetStringAsync("/openapi/v1.json"))!;
        var failures = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, value) in item!.AsObject())
            {
                var operation = value!.AsObject();
                var name = $"{method.ToUpperInvariant()} {path}";
                var responses = operation["responses"]!.AsObject();
                if (string.IsNullOrWhiteSpace((string?)operation["summary"]))
                {
                    failures.Add($"{name}: no summary");
                }

                // Bria's webhooks are signed by Bria instead of carrying an API key: no 403, and the body is Bria's
                // raw status JSON whatever its content type (no 415).
                var signedByBria = operation["security"] is JsonArray { Count: 0 };
                var expected = new List<string> { "401", "500" };
                if (!signedByBria)
                {
                    expected.Add("403");
                }

                if (operation["requestBody"] is not null)
                {
                    expected.AddRange(signedByBria ? ["400", "413"] : ["400", "413", "415"]);
                    if (operation["requestBody"]!["content"]?["application/json"]?["example"] is null)
                    {
                        failures.Add($"{name}: no request example");
                    }
                }

                if (path.Contains('{', StringComparison.Ordinal))
                {
                    expected.Add("404");
                }

                foreach (var status in expected.Where(s => responses[s] is null))
                {
                    failures.Add($"{name}: no {status} answer");
                }

                foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
                {
                    var example = response!["content"]?["application/problem+json"]?["example"];
                    if (string.IsNullOrWhiteSpace((string?)response["description"]) || string.IsNullOrWhiteSpace((string?)example?["detail"]))
                    {
                        failures.Add($"{name}: its {status} has no description or no ProblemDetails example with a detail");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var track = document["paths"]!["/v1/tracked-requests"]!["post"]!;
        Assert.Equal("7f3c0a9e", (string)track["requestBody"]!["content"]!["application/json"]!["example"]!["request_id"]!);
        Assert.Equal("Tracking was cancelled", (string)track["responses"]!["409"]!["content"]!["application/problem+json"]!["example"]!["title"]!);
        Assert.Equal(["request_id"], document["components"]!["schemas"]!["TrackRequestBody"]!["required"]!.AsArray().Select(n => (string)n!));
        Assert.Contains("structured_prompt", document["components"]!["schemas"]!["EndpointKind"]!["enum"]!.AsArray().Select(n => (string?)n));
        Assert.NotNull(document["paths"]!["/v1/signing-secret"]?["get"]);
    }

    [Fact]
    public async Task API_reference_page_renders_every_route_in_a_real_browser()
    {
        var chromium = FindChromium()
            ?? throw new InvalidOperationException(
                "Chromium is not installed: the API reference page is checked in a real browser. Run `bash scripts/test.sh` (it installs it) or `apt-get install -y chromium`.");
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        var page = new Uri(api.Bridge.BaseUrl, "/scalar/");
        var home = await api.CreateClient(null).GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);

        var profile = Directory.CreateTempSubdirectory("statusbridge-chromium-");
        try
        {
            var dom = await DumpDomAsync(chromium, profile.FullName, page);
            var missing = api.Routes().Select(r => r[(r.IndexOf(' ', StringComparison.Ordinal) + 1)..]).Distinct()
                .Where(path => !dom.Contains(path, StringComparison.Ordinal))
                .ToList();
            Assert.True(dom.Contains("Bria.StatusBridge API", StringComparison.Ordinal), "The page did not render the document's title.");
            Assert.True(missing.Count == 0, $"The rendered page ({dom.Length} characters) lacks: {string.Join(", ", missing)}");
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    internal static string? FindChromium() =>
        new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(dir => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);

    private static async Task<string> DumpDomAsync(string chromium, string profile, Uri page)
    {
        var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", $"--user-data-dir={profile}", "--virtual-time-budget=10000", "--dump-dom", page.ToString(),
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{chromium} did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Chromium did not finish rendering {page} within 90 s.");
        }

        var dom = await output;
        Assert.True(process.ExitCode == 0 && dom.Length > 0, $"Chromium exited with {process.ExitCode}: {await errors}");
        return dom;
    }
}
