using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Portal;

/// <summary>Checks the portal options at start, naming the key to fix.</summary>
internal sealed partial class PortalOptionsValidator : IValidateOptions<PortalOptions>
{
    private static readonly TimeSpan MinLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxSession = TimeSpan.FromDays(1);
    private static readonly TimeSpan MaxLink = TimeSpan.FromDays(7);

    public ValidateOptionsResult Validate(string? name, PortalOptions options)
    {
        var failures = new List<string>();
        if (options.SessionLifetime < MinLifetime || options.SessionLifetime > MaxSession)
        {
            failures.Add($"Portal:SessionLifetime is {options.SessionLifetime}: give a time between 00:01:00 and 1.00:00:00.");
        }

        if (options.LinkLifetime < MinLifetime || options.LinkLifetime > MaxLink)
        {
            failures.Add($"Portal:LinkLifetime is {options.LinkLifetime}: give a time between 00:01:00 and 7.00:00:00.");
        }

        for (var i = 0; i < options.FrameAncestors.Count; i++)
        {
            var source = options.FrameAncestors[i];
            if (!string.IsNullOrWhiteSpace(source) && source != "'self'" && !FrameSource().IsMatch(source))
            {
                failures.Add($"Portal:FrameAncestors:{i} is '{source}': give 'self' (with the quotes) or an origin such as https://partners.example.com (https://*.example.com for its subdomains), without a path.");
            }
        }

        if (!string.IsNullOrEmpty(options.PublicUrl)
            && (!Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp) || url.Query.Length > 0 || url.Fragment.Length > 0))
        {
            failures.Add($"Portal:PublicUrl is '{options.PublicUrl}': give the bridge's public base URL, e.g. https://bridge.example.com, or leave it empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // A CSP host source with a scheme: https://host[:port], the host possibly starting with "*.".
    [GeneratedRegex(@"^https?://(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,5})?$")]
    private static partial Regex FrameSource();
}
