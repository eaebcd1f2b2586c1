using Bria.StatusBridge.IntegrationTests.Api;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bria.StatusBridge.IntegrationTests.Portal;

/// <summary>Headless Chromium driven by Playwright: Debian's <c>chromium</c> (the test script installs it), never a
/// downloaded browser. Missing Chromium fails the test with what to do.</summary>
public sealed class PortalBrowser : IAsyncDisposable
{
    /// <summary>How long an action (a click, a navigation) may wait.</summary>
    private const int ActionTimeout = 30_000;

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
        // Assertions retry for 15 s rather than Playwright's 5: the machines that run the suite are shared, and a
        // page served by a bridge among a dozen parallel tests on two cores can take seconds.
        SetDefaultExpectTimeout(15_000);
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
        context.SetDefaultTimeout(ActionTimeout);
        return await context.NewPageAsync();
    }

    /// <summary>Waits until the page's address ends with <paramref name="path"/> (no query). Not
    /// <c>IPage.WaitForURLAsync</c>: in Playwright for .NET it checks the load state and then subscribes to its event on
    /// another thread than the one delivering events, so a <c>load</c> that fires in between is lost and the call times
    /// out on a page that loaded (microsoft/playwright-dotnet#3364; seen here on a loaded machine after a form's
    /// redirect). <c>ToHaveURLAsync</c> is polled by the Playwright server, with no client-side event to miss; the
    /// assertions that follow wait for the content they need.</summary>
    public static Task ArrivedAtAsync(IPage page, string path) =>
        Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(path) + "$"), new() { Timeout = ActionTimeout });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
