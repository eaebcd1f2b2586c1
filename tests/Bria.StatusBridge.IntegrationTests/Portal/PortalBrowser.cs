using Bria.StatusBridge.IntegrationTests.Api;
using Microsoft.Playwright;

namespace Bria.StatusBridge.IntegrationTests.Portal;

/// <summary>Headless Chromium driven by Playwright: Debian's <c>chromium</c> (the test script installs it), never a
/// downloaded browser. Missing Chromium fails the test with what to do.</summary>
public sealed class PortalBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private PortalBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<PortalBrowser> LaunchAsync()
    {
        var chromium = ApiDocumentTests.FindChromium()
            ?? throw new InvalidOperationException(
                "Chromium is not installed: the partner portal is tested in a real browser. Run `bash scripts/test.sh` (it installs it) or `apt-get install -y chromium`.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"],
        });
        return new PortalBrowser(playwright, browser);
    }

    /// <summary>A fresh browser profile (no cookies) in a time zone other than UTC, trusting the test certificate.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "Asia/Kolkata",
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
