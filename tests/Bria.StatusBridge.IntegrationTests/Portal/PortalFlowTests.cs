using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bria.StatusBridge.IntegrationTests.Api;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using StandardWebhooks;
using static Microsoft.Playwright.Assertions;

namespace Bria.StatusBridge.IntegrationTests.Portal;

/// <summary>The partner portal's main flows in headless Chromium, against a real bridge on PostgreSQL and RabbitMQ,
/// with webhooks going to a local receiver: open a portal link, add an endpoint the SSRF guard refuses and one that
/// works, send a test event and watch it arrive signed, see a failed delivery's attempts and retry it, rotate the
/// secret, follow a tracked request, and find another partner's ids not found.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class PortalFlowTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_partner_manages_endpoints_deliveries_and_secrets_in_the_browser()
    {
        // The receiver fails the first and third calls on /failing (with a body the portal must show), accepts the others.
        await using var receiver = await WebhookReceiver.StartAsync((path, call, _) => Task.FromResult(
            path == "/failing" && call is 1 or 3
                ? Results.Text("boom: the database is down", statusCode: 500)
                : Results.Ok()));
        await using var portal = await PortalBridge.StartAsync(rabbit, postgres);
        await using var browser = await PortalBrowser.LaunchAsync();
        var acme = await portal.Api.CreatePartnerAsync("Acme");
        var other = await portal.Api.CreatePartnerAsync("Other");
        var page = await browser.NewPageAsync();
        var cspViolations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                cspViolations.Add(message.Text);
            }
        };

        // 1. The operator's link opens the portal for Acme, with an empty state that says what to do.
        await page.GotoAsync((await portal.IssueLinkAsync(acme.PartnerId)).ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the portal" }).ClickAsync();
        await PortalBrowser.ArrivedAtAsync(page, "/portal/endpoints");
        await Expect(page.GetByText("Signed in as")).ToContainTextAsync("Acme");
        await Expect(page.GetByText("No endpoints yet.")).ToBeVisibleAsync();

        // 2. An endpoint on a private address: the SSRF guard refuses it and the page says why.
        await page.GetByLabel("Endpoint URL").FillAsync("http://10.20.30.40/hooks");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
        var refusal = page.GetByRole(AriaRole.Alert);
        await Expect(refusal).ToContainTextAsync("refused (address)");
        await Expect(refusal).ToContainTextAsync("10.20.30.40");
        Assert.Equal("true", await page.GetByLabel("Endpoint URL").GetAttributeAsync("aria-invalid"));
        Assert.Empty(await ListEndpointsAsync(acme));

        // 3. One that works: the page of the new endpoint; the secret only on an explicit reveal.
        var okUrl = receiver.Url("ok").ToString();
        await page.GetByLabel("Endpoint URL").FillAsync(okUrl);
        await page.GetByLabel("Description").FillAsync("Production receiver");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("Endpoint added");
        var okEndpoint = (string)Assert.Single(await ListEndpointsAsync(acme))!["endpoint_id"]!;
        Assert.EndsWith($"/portal/endpoints/{okEndpoint}?notice=created", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", await page.ContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Reveal secret" }).ClickAsync();
        var secret = (await page.Locator("#secret-value").TextContentAsync())!.Trim();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(secret, (string)(await ApiBridge.ReadAsync(await acme.Client.GetAsync($"/v1/webhook-endpoints/{okEndpoint}/secret"), HttpStatusCode.OK))["key"]!);

        // 4. A test event arrives at the receiver, signed with that secret; its delivery page shows it delivered.
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("Test event queued");
        await Eventually.HoldsAsync(() => receiver.On("/ok").Count == 1, Wait, () => "the test event never reached the receiver");
        var test = receiver.On("/ok")[0];
        new StandardWebhook(secret).Verify(test.Body, test.Headers);
        Assert.Equal("webhook.test", (string)JsonNode.Parse(test.Body)!["type"]!);
        await page.GetByRole(AriaRole.Link, new() { Name = "See the delivery" }).ClickAsync();
        await ReloadUntilAsync(page, "delivered");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Delivery" })).ToContainTextAsync(test.WebhookId);
        await Expect(page.Locator("table")).ToContainTextAsync("HTTP 200");

        // 5. A failing endpoint: the failed delivery's attempt shows status, latency, the answer's start; retry it.
        await Nav(page, "Endpoints").ClickAsync();
        await page.GetByLabel("Endpoint URL").FillAsync(receiver.Url("failing").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        await Eventually.HoldsAsync(() => receiver.On("/failing").Count == 1, Wait, () => "the failing endpoint was never called");
        await Nav(page, "Deliveries").ClickAsync();
        await page.GetByLabel("Endpoint", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = receiver.Url("failing").ToString() });
        await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("failed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show deliveries" }).ClickAsync();
        await ReloadUntilAsync(page, "failed");
        Assert.Contains("state=failed", page.Url, StringComparison.Ordinal);
        await page.Locator("table a[href^='/portal/deliveries/msg_']").First.ClickAsync();
        var attempts = page.Locator("table");
        await Expect(attempts).ToContainTextAsync("HTTP 500");
        await Expect(attempts).ToContainTextAsync("boom: the database is down");
        await Expect(attempts).ToContainTextAsync(" ms");
        await page.GetByRole(AriaRole.Button, new() { Name = "Retry now" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("Sent again");
        await Eventually.HoldsAsync(() => receiver.On("/failing").Count == 2, Wait, () => "the retry never reached the receiver");
        Assert.Equal(receiver.On("/failing")[0].WebhookId, receiver.On("/failing")[1].WebhookId);
        await ReloadUntilAsync(page, "delivered");
        await Expect(attempts).ToContainTextAsync("HTTP 200");

        // 5b. Another failed message on that endpoint, resent with every failed one since yesterday.
        await page.GetByRole(AriaRole.Link, new() { Name = receiver.Url("failing").ToString() }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        await Eventually.HoldsAsync(() => receiver.On("/failing").Count == 3, Wait, () => "the second test event never reached the failing endpoint");
        await Eventually.HoldsAsync(
            async () =>
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Resend failed" }).ClickAsync();
                return (await page.Locator("#notice").InnerTextAsync()).StartsWith("1 failed delivery", StringComparison.Ordinal);
            },
            Wait,
            () => "the failed test event was never resent");
        await Eventually.HoldsAsync(() => receiver.On("/failing").Count == 4, Wait, () => "the recovered delivery never reached the receiver");
        Assert.Equal(receiver.On("/failing")[2].WebhookId, receiver.On("/failing")[3].WebhookId);

        // 6. Rotating the secret shows the new one; the next message is signed with the new and the old.
        await page.GotoAsync(new Uri(portal.Https, $"/portal/endpoints/{okEndpoint}").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("Secret rotated");
        var rotated = (await page.Locator("#secret-value").TextContentAsync())!.Trim();
        Assert.StartsWith("whsec_", rotated, StringComparison.Ordinal);
        Assert.NotEqual(secret, rotated);
        await Expect(page.GetByText("The previous secret also signs until")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        await Eventually.HoldsAsync(() => receiver.On("/ok").Count == 2, Wait, () => "the test event after rotation never arrived");
        var afterRotation = receiver.On("/ok")[1];
        new StandardWebhook(rotated).Verify(afterRotation.Body, afterRotation.Headers);
        new StandardWebhook(secret).Verify(afterRotation.Body, afterRotation.Headers);

        // 7. A tracked request: its state, result and deliveries.
        await ScriptCompletedJobAsync(portal, "portal-req-1");
        await ApiBridge.ReadAsync(
            await acme.Client.PostAsJsonAsync("/v1/tracked-requests", new { request_id = "portal-req-1", correlation_id = "order-17", endpoint_kind = "image" }),
            HttpStatusCode.Accepted);
        await Nav(page, "Tracked requests").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "portal-req-1" }).ClickAsync();
        // The page reads the request, then its deliveries: an outcome stored between the two reads shows
        // "request.completed" deliveries beside the state "tracking", so wait for the result itself.
        await ReloadUntilAsync(page, "Image URL");
        await Expect(page.Locator("main")).ToContainTextAsync("completed");
        await Expect(page.GetByText("order-17")).ToBeVisibleAsync();
        await ReloadUntilAsync(page, "request.completed");

        // 8. Another partner's ids answer not found, for pages and for actions.
        var otherEndpoint = await PortalBridge.CreateEndpointAsync(other, receiver.Url("other"));
        var otherDelivery = (string)(await ApiBridge.ReadAsync(await other.Client.PostAsync($"/v1/webhook-endpoints/{otherEndpoint}/test", null), HttpStatusCode.Accepted))["delivery_id"]!;
        await ApiBridge.ReadAsync(await other.Client.PostAsJsonAsync("/v1/tracked-requests", new { request_id = "other-req" }), HttpStatusCode.Accepted);
        var otherSecret = (string)(await ApiBridge.ReadAsync(await other.Client.GetAsync($"/v1/webhook-endpoints/{otherEndpoint}/secret"), HttpStatusCode.OK))["key"]!;
        foreach (var path in new[] { $"/portal/endpoints/{otherEndpoint}", $"/portal/deliveries/{otherDelivery}", "/portal/requests/other-req", $"/portal/deliveries?endpoint={otherEndpoint}", "/portal/no-such-page" })
        {
            var response = await page.GotoAsync(new Uri(portal.Https, path).ToString());
            var text = await page.Locator("main").InnerTextAsync();
            Assert.True(response!.Status == 404 || path.Contains('?', StringComparison.Ordinal), $"{path} answered {response.Status}");
            Assert.True(text.Contains("was not found", StringComparison.Ordinal) || text.Contains("not one of yours", StringComparison.Ordinal), $"{path}: {text}");
            Assert.DoesNotContain(receiver.Url("other").ToString(), text, StringComparison.Ordinal);
            // A request or delivery may also be past retention: the page names the period (the defaults here).
            if (path.StartsWith("/portal/requests/", StringComparison.Ordinal))
            {
                Assert.Contains("Finished requests are kept for 30 days", text, StringComparison.Ordinal);
            }
            else if (path.StartsWith("/portal/deliveries/", StringComparison.Ordinal))
            {
                Assert.Contains("Delivered and failed webhook messages are kept for 30 days", text, StringComparison.Ordinal);
            }
        }

        await page.GotoAsync(new Uri(portal.Https, $"/portal/endpoints/{okEndpoint}").ToString());
        var token = await page.Locator("input[name='__antiforgery']").First.GetAttributeAsync("value");
        foreach (var handler in new[] { "Rotate", "Reveal", "Disable", "Test" })
        {
            var response = await page.APIRequest.PostAsync(
                new Uri(portal.Https, $"/portal/endpoints/{otherEndpoint}?handler={handler}").ToString(),
                new() { Form = page.APIRequest.CreateFormData().Set("__antiforgery", token!) });
            Assert.Equal(404, response.Status);
            Assert.DoesNotContain("whsec_", await response.TextAsync(), StringComparison.Ordinal);
        }

        var retryOther = await page.APIRequest.PostAsync(
            new Uri(portal.Https, $"/portal/deliveries/{otherDelivery}?handler=Retry").ToString(),
            new() { Form = page.APIRequest.CreateFormData().Set("__antiforgery", token!) });
        Assert.Equal(404, retryOther.Status);
        var otherAfter = await ApiBridge.ReadAsync(await other.Client.GetAsync($"/v1/webhook-endpoints/{otherEndpoint}"), HttpStatusCode.OK);
        Assert.True((bool)otherAfter["enabled"]!);
        Assert.Equal(otherSecret, (string)(await ApiBridge.ReadAsync(await other.Client.GetAsync($"/v1/webhook-endpoints/{otherEndpoint}/secret"), HttpStatusCode.OK))["key"]!);

        // 9. Edit, disable (a test event is then refused and says why), enable and delete an endpoint.
        var failingEndpoint = (string)(await ListEndpointsAsync(acme)).Single(e => ((string)e!["url"]!).EndsWith("/failing", StringComparison.Ordinal))!["endpoint_id"]!;
        await page.GotoAsync(new Uri(portal.Https, $"/portal/endpoints/{failingEndpoint}").ToString());
        await page.Locator("#edit-description").FillAsync("Retries on Mondays");
        await page.Locator("#edit-url").FillAsync("http://169.254.169.254/latest");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("refused (address)");
        await page.Locator("#edit-url").FillAsync(receiver.Url("failing").ToString());
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "request.failed" }).UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("Changes saved");
        var edited = await ApiBridge.ReadAsync(await acme.Client.GetAsync($"/v1/webhook-endpoints/{failingEndpoint}"), HttpStatusCode.OK);
        Assert.Equal("Retries on Mondays", (string)edited["description"]!);
        Assert.Equal(["request.completed"], edited["event_types"]!.AsArray().Select(t => (string)t!));
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("Endpoint disabled");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The endpoint is disabled (Disabled by the partner): enable it first.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enable" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("Endpoint enabled");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Yes, delete this endpoint" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete endpoint" }).ClickAsync();
        await PortalBrowser.ArrivedAtAsync(page, "/portal/endpoints");
        await Expect(page.GetByRole(AriaRole.Main)).Not.ToContainTextAsync(receiver.Url("failing").ToString());
        Assert.Single(await ListEndpointsAsync(acme));

        // Times were turned into the viewer's zone by the portal's own script, and the CSP blocked nothing.
        await page.GotoAsync(new Uri(portal.Https, "/portal/endpoints").ToString());
        var times = page.Locator("time[data-localized='true']");
        await Expect(times.First).ToBeVisibleAsync();
        Assert.DoesNotContain("UTC", await times.First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.EndsWith(" UTC", await times.First.GetAttributeAsync("title"), StringComparison.Ordinal);
        Assert.Empty(cspViolations);
    }

    /// <summary>A link of the portal's main navigation.</summary>
    internal static ILocator Nav(IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    internal static async Task<JsonArray> ListEndpointsAsync(TestPartner partner) =>
        (await ApiBridge.ReadAsync(await partner.Client.GetAsync("/v1/webhook-endpoints"), HttpStatusCode.OK))["data"]!.AsArray();

    /// <summary>Reloads until the main content shows <paramref name="text"/> (the delivery engine and the poller work in
    /// the background; the page is server-rendered and does not refresh itself).</summary>
    internal static async Task ReloadUntilAsync(IPage page, string text)
    {
        await Eventually.HoldsAsync(
            async () =>
            {
                if ((await page.Locator("main").InnerTextAsync()).Contains(text, StringComparison.Ordinal))
                {
                    return true;
                }

                await page.ReloadAsync();
                return false;
            },
            Wait,
            () => $"{page.Url} never showed '{text}'");
    }

    internal static async Task ScriptCompletedJobAsync(PortalBridge portal, string requestId)
    {
        using var control = new HttpClient { BaseAddress = portal.Api.Simulator.BaseUrl };
        var response = await control.PostAsJsonAsync("/simulator/jobs", new { request_id = requestId, endpoint_kind = "image", duration_ms = 300, outcome = "completed" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
