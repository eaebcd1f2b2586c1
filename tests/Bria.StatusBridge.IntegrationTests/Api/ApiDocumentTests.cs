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
