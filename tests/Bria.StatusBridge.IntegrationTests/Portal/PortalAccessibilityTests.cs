using System.Net;
using System.Net.Http.Json;
using Bria.StatusBridge.IntegrationTests.Api;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bria.StatusBridge.IntegrationTests.Portal;

/// <summary>The portal by keyboard alone, every control labelled, and every main page readable at 360 px and
/// 1440 px wide (no horizontal scrolling); screenshots of the main pages go to artifacts/portal-screenshots.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class PortalAccessibilityTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string ControlsWithoutLabel = """
        () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
            .filter(e => {
                if (e.tagName === 'BUTTON') { return e.innerText.trim() === '' && !e.getAttribute('aria-label'); }
                return e.labels.length === 0 && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby');
            })
            .map(e => e.outerHTML)
        """;

    private const string HorizontalOverflow = """
        () => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
                 wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                     .slice(0, 5).map(e => e.tagName + '.' + e.className) })
        """;

    [Fact]
    public async Task Keyboard_only_sign_in_labelled_controls_and_no_horizontal_scrolling_at_360_and_1440_px()
    {
        await using var receiver = await WebhookReceiver.StartAsync((path, _, _) => Task.FromResult(
            path == "/down" ? Results.Text("503 Service Unavailable: maintenance until 12:00", statusCode: 503) : Results.Ok()));
        await using var portal = await PortalBridge.StartAsync(rabbit, postgres);
        await using var browser = await PortalBrowser.LaunchAsync();
        var partner = await portal.Api.CreatePartnerAsync("Acme Imaging");

        // Signed out, a portal page leads to the sign-in form; the API key goes in by keyboard alone.
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(portal.Https, "/portal/deliveries").ToString());
        Assert.Contains("/portal/sign-in?returnUrl=", page.Url, StringComparison.Ordinal);
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await FocusedTextAsync(page));
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("api-key", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.TypeAsync("sbk_not-a-key");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid");
        await page.GetByLabel("API key").FocusAsync();
        await page.Keyboard.TypeAsync(partner.Key);
        await page.Keyboard.PressAsync("Enter");
        await PortalBrowser.ArrivedAtAsync(page, "/portal/deliveries");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("No endpoints, so no deliveries yet.");

        // Tab order: skip link, brand, the three sections, sign out; the skip link moves focus to the content.
        await page.GotoAsync(new Uri(portal.Https, "/portal/endpoints").ToString());
        var order = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await FocusedTextAsync(page));
        }

        Assert.Equal(["Skip to content", "Bria.StatusBridge partner portal", "Endpoints", "Deliveries", "Tracked requests", "Sign out"], order);
        for (var i = 0; i < 5; i++)
        {
            await page.Keyboard.PressAsync("Shift+Tab");
        }

        Assert.Equal("Skip to content", await FocusedTextAsync(page));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        // Adding an endpoint by keyboard: the URL, past request.completed, untick request.failed, a description, the button.
        await page.GetByLabel("Endpoint URL").FocusAsync();
        await page.Keyboard.TypeAsync(receiver.Url("down").ToString());
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Space");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Staging receiver, request.completed only");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Add endpoint", await FocusedTextAsync(page));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#notice")).ToContainTextAsync("Endpoint added");
        var endpoint = (string)Assert.Single(await PortalFlowTests.ListEndpointsAsync(partner))!["endpoint_id"]!;
        await page.GotoAsync(new Uri(portal.Https, $"/portal/endpoints/{endpoint}").ToString());
        var stored = await ApiBridge.ReadAsync(await partner.Client.GetAsync($"/v1/webhook-endpoints/{endpoint}"), HttpStatusCode.OK);
        Assert.Equal(["request.completed"], stored["event_types"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("Staging receiver, request.completed only", (string)stored["description"]!);

        // Some data for the other pages: a healthy endpoint with a delivered test event, a failed test delivery on
        // the first, and a completed tracked request delivered to both.
        var healthy = await PortalBridge.CreateEndpointAsync(partner, receiver.Url("orders/bria-webhooks"));
        await ApiBridge.ReadAsync(await partner.Client.PostAsync($"/v1/webhook-endpoints/{healthy}/test", null), HttpStatusCode.Accepted);
        await Eventually.HoldsAsync(() => receiver.On("/orders/bria-webhooks").Count == 1, TimeSpan.FromSeconds(20), () => "the healthy endpoint's test event never arrived");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "See the delivery" }).ClickAsync();
        await PortalFlowTests.ReloadUntilAsync(page, "HTTP 503");
        var delivery = page.Url[(page.Url.LastIndexOf('/') + 1)..].Split('?')[0];
        await PortalFlowTests.ScriptCompletedJobAsync(portal, "7f3c0a9e-portal");
        await ApiBridge.ReadAsync(
            await partner.Client.PostAsJsonAsync("/v1/tracked-requests", new { request_id = "7f3c0a9e-portal", correlation_id = "order-17", endpoint_kind = "image", metadata = new Dictionary<string, string> { ["order"] = "17" } }),
            HttpStatusCode.Accepted);
        await page.GotoAsync(new Uri(portal.Https, "/portal/requests/7f3c0a9e-portal").ToString());
        await PortalFlowTests.ReloadUntilAsync(page, "delivered");

        var pages = new (string Name, string Path)[]
        {
            ("endpoints", "/portal/endpoints"),
            ("endpoint", $"/portal/endpoints/{endpoint}"),
            ("deliveries", $"/portal/deliveries?endpoint={endpoint}"),
            ("delivery", $"/portal/deliveries/{delivery}"),
            ("requests", "/portal/requests"),
            ("request", "/portal/requests/7f3c0a9e-portal"),
        };
        var screenshots = Path.Combine(RepositoryRoot(), "artifacts", "portal-screenshots");
        Directory.CreateDirectory(screenshots);
        var problems = new List<string>();
        foreach (var width in new[] { 360, 1440 })
        {
            await page.SetViewportSizeAsync(width, 900);
            foreach (var (name, path) in pages)
            {
                var response = await page.GotoAsync(new Uri(portal.Https, path).ToString());
                Assert.Equal(200, response!.Status);
                var unlabelled = await page.EvaluateAsync<string[]>(ControlsWithoutLabel);
                problems.AddRange(unlabelled.Select(u => $"{path}: a control without a label: {u}"));
                var overflow = await page.EvaluateAsync<Overflow>(HorizontalOverflow);
                if (overflow.Scroll > overflow.Client)
                {
                    problems.Add($"{path} at {width} px: {overflow.Scroll} px wide in a {overflow.Client} px window ({string.Join(", ", overflow.Wide)})");
                }

                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, $"{name}-{width}.png"), FullPage = true });
            }
        }

        // The sign-in page too, signed out.
        var signedOut = await browser.NewPageAsync(360);
        await signedOut.GotoAsync(new Uri(portal.Https, "/portal/sign-in").ToString());
        problems.AddRange((await signedOut.EvaluateAsync<string[]>(ControlsWithoutLabel)).Select(u => $"sign-in: {u}"));
        await signedOut.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "sign-in-360.png"), FullPage = true });
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static Task<string> FocusedTextAsync(IPage page) =>
        page.EvaluateAsync<string>("() => (document.activeElement.innerText || document.activeElement.value || '').trim().replace(/\\s+/g, ' ')");

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Bria.StatusBridge.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Bria.StatusBridge.sln not found above " + AppContext.BaseDirectory);
    }

    private sealed class Overflow
    {
        public int Scroll { get; set; }

        public int Client { get; set; }

        public string[] Wide { get; set; } = [];
    }
}
