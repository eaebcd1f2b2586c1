using System.Net;
using Bria.StatusBridge.IntegrationTests.Api;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bria.StatusBridge.IntegrationTests.Portal;

/// <summary>Portal access: one-time links across two replicas of one store, sessions that any replica reads (Data
/// Protection keys in the database), cookie flags, expiry, revoked keys, antiforgery on forms, security headers.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class PortalSecurityTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string FramingOrigin = "https://partners.example.com";

    [Fact]
    public async Task Links_work_once_on_any_replica_sessions_expire_and_forms_refuse_cross_site_posts()
    {
        await using var portal = await PortalBridge.StartAsync(rabbit, postgres);
        // A second replica on the same database, allowing one origin to frame the portal; its cookie clock is ours.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = new Dictionary<string, string?>(portal.Settings) { ["Portal:FrameAncestors:0"] = FramingOrigin };
        await using var replica = await BridgeHost.StartAsync(settings, builder => builder.Services.PostConfigure<CookieAuthenticationOptions>(
            "Portal", o => o.TimeProvider = clock));
        var replicaHttps = PortalBridge.HttpsAddress(replica);
        await using var browser = await PortalBrowser.LaunchAsync();
        var acme = await portal.Api.CreatePartnerAsync("Acme");

        // A link issued through the first replica opens a session on the second, once.
        var link = await portal.IssueLinkAsync(acme.PartnerId, replicaHttps);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(link.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the portal" }).ClickAsync();
        await PortalBrowser.ArrivedAtAsync(page, "/portal/endpoints");
        var again = await browser.NewPageAsync();
        await again.GotoAsync(link.ToString());
        await again.GetByRole(AriaRole.Button, new() { Name = "Open the portal" }).ClickAsync();
        await Expect(again.GetByRole(AriaRole.Alert)).ToContainTextAsync("already used, it expired");
        Assert.Contains("/portal/link", again.Url, StringComparison.Ordinal);
        var forged = await browser.NewPageAsync();
        await forged.GotoAsync(new Uri(replicaHttps, "/portal/link?token=spl_made-up").ToString());
        await forged.GetByRole(AriaRole.Button, new() { Name = "Open the portal" }).ClickAsync();
        await Expect(forged.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();

        // The session cookie: HttpOnly, Secure, SameSite=Lax, scoped to /portal; the first replica reads it too.
        var session = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "statusbridge_portal");
        Assert.True(session.HttpOnly);
        Assert.True(session.Secure);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
        Assert.Equal("/portal", session.Path);
        var antiforgery = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "statusbridge_portal_af");
        Assert.True(antiforgery.HttpOnly && antiforgery.Secure && antiforgery.SameSite == SameSiteAttribute.Strict);
        var onFirst = await page.GotoAsync(new Uri(portal.Https, "/portal/endpoints").ToString());
        Assert.Equal(200, onFirst!.Status);
        await Expect(page.GetByText("Signed in as")).ToContainTextAsync("Acme");

        // Security headers: no inline script or style anywhere, framing only where configured.
        var headers = await onFirst.AllHeadersAsync();
        var csp = headers["content-security-policy"];
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", headers["x-frame-options"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("no-referrer", headers["referrer-policy"]);
        Assert.Contains("no-store", headers["cache-control"], StringComparison.Ordinal);
        Assert.StartsWith("max-age=", headers["strict-transport-security"], StringComparison.Ordinal);
        var html = await page.ContentAsync();
        Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)", html);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        var replicaHeaders = await (await page.GotoAsync(new Uri(replicaHttps, "/portal/endpoints").ToString()))!.AllHeadersAsync();
        Assert.Contains($"frame-ancestors {FramingOrigin}", replicaHeaders["content-security-policy"], StringComparison.Ordinal);
        Assert.False(replicaHeaders.ContainsKey("x-frame-options"));
        var redirect = await page.APIRequest.GetAsync(new Uri(portal.Https, "/portal/requests").ToString(), new() { MaxRedirects = 0, Headers = new Dictionary<string, string> { ["Cookie"] = "" } });
        Assert.Contains("frame-ancestors", redirect.Headers["content-security-policy"], StringComparison.Ordinal);

        // Every form carries an antiforgery token; a post without one is refused, whoever is signed in.
        Assert.Equal(
            await page.Locator("form[method='post']").CountAsync(),
            await page.Locator("form[method='post'] input[name='__antiforgery']").CountAsync());
        var crossSite = await page.APIRequest.PostAsync(
            new Uri(portal.Https, "/portal/endpoints").ToString(),
            new() { Form = page.APIRequest.CreateFormData().Set("Url", "https://attacker.example/hook").Append("EventTypes", "request.completed") });
        Assert.Equal(400, crossSite.Status);
        Assert.Empty(await PortalFlowTests.ListEndpointsAsync(acme));

        // Plain HTTP outside Development gets a page that says to use HTTPS, never a session.
        using (var plain = new HttpClient { BaseAddress = portal.Api.Bridge.BaseUrl })
        {
            var answer = await plain.GetAsync("/portal/sign-in");
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Contains("HTTPS", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A session ends when its lifetime (1 hour by default) is over.
        await page.GotoAsync(new Uri(replicaHttps, "/portal/endpoints").ToString());
        Assert.EndsWith("/portal/endpoints", page.Url, StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromMinutes(61));
        await page.ReloadAsync();
        Assert.Contains("/portal/sign-in?returnUrl=", page.Url, StringComparison.Ordinal);

        // A session begun with an API key ends as soon as the operator revokes that key.
        await page.GetByLabel("API key").FillAsync(acme.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await PortalBrowser.ArrivedAtAsync(page, "/portal/endpoints");
        await ApiBridge.ReadAsync(await portal.Api.Admin.PostAsync($"/v1/admin/partners/{acme.PartnerId}/keys/{acme.KeyId}/revoke", null), HttpStatusCode.OK);
        await page.ReloadAsync();
        Assert.Contains("/portal/sign-in", page.Url, StringComparison.Ordinal);

        // A link without its token says what to do; signing out ends a session.
        await page.GotoAsync(new Uri(replicaHttps, "/portal/link").ToString());
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("No portal link given.");
        var other = await browser.NewPageAsync();
        await other.GotoAsync((await portal.IssueLinkAsync(acme.PartnerId)).ToString());
        await other.GetByRole(AriaRole.Button, new() { Name = "Open the portal" }).ClickAsync();
        await other.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(other.GetByRole(AriaRole.Status)).ToContainTextAsync("You are signed out.");
        await other.GotoAsync(new Uri(portal.Https, "/portal/endpoints").ToString());
        Assert.Contains("/portal/sign-in", other.Url, StringComparison.Ordinal);
    }
}
