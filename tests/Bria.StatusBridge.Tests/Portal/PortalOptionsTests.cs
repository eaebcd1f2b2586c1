using Bria.StatusBridge.Portal;
using Bria.StatusBridge.Portal.Pages;

namespace Bria.StatusBridge.Tests.Portal;

public sealed class PortalOptionsTests
{
    private static readonly PortalOptionsValidator Validator = new();

    [Fact]
    public void Defaults_are_valid_and_forbid_framing()
    {
        var options = new PortalOptions();
        Assert.True(Validator.Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromHours(1), options.SessionLifetime);
        Assert.Equal(TimeSpan.FromMinutes(15), options.LinkLifetime);
        Assert.Equal("'none'", PortalSecurityHeaders.FrameAncestors(options.FrameAncestors));
    }

    [Theory]
    [InlineData("'self'")]
    [InlineData("https://partners.example.com")]
    [InlineData("https://*.example.com")]
    [InlineData("http://localhost:8443")]
    public void Frame_ancestors_take_self_and_origins(string source)
    {
        var options = new PortalOptions { FrameAncestors = [source] };
        Assert.True(Validator.Validate(null, options).Succeeded);
        Assert.Equal(source, PortalSecurityHeaders.FrameAncestors(options.FrameAncestors));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("self")]
    [InlineData("https://example.com/path")]
    [InlineData("https://example.com; script-src *")]
    [InlineData("'unsafe-inline'")]
    [InlineData("example.com")]
    public void Frame_ancestors_refuse_anything_else_and_name_the_key(string source)
    {
        var result = Validator.Validate(null, new PortalOptions { FrameAncestors = ["'self'", source] });
        Assert.True(result.Failed);
        Assert.Contains("Portal:FrameAncestors:1", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Lifetimes_and_the_public_url_are_checked()
    {
        var result = Validator.Validate(null, new PortalOptions
        {
            SessionLifetime = TimeSpan.FromDays(2),
            LinkLifetime = TimeSpan.FromSeconds(10),
            PublicUrl = "bridge.example.com",
        });
        Assert.Contains("Portal:SessionLifetime", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Portal:LinkLifetime", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Portal:PublicUrl", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(Validator.Validate(null, new PortalOptions { PublicUrl = "https://bridge.example.com/" }).Succeeded);
    }

    [Theory]
    [InlineData("/portal/deliveries?endpoint=ep_1", "/portal/deliveries?endpoint=ep_1")]
    [InlineData(null, "/portal/endpoints")]
    [InlineData("https://evil.example/portal/", "/portal/endpoints")]
    [InlineData("//evil.example/portal/", "/portal/endpoints")]
    [InlineData("/portal//evil.example", "/portal/endpoints")]
    [InlineData("/portal/\\evil.example", "/portal/endpoints")]
    [InlineData("/v1/admin/partners", "/portal/endpoints")]
    [InlineData("/portal/sign-out", "/portal/endpoints")]
    public void Sign_in_returns_only_to_portal_pages(string? returnUrl, string expected) =>
        Assert.Equal(expected, SignInModel.SafeReturnUrl(returnUrl));
}
