using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Upstream;

/// <summary>Rejects <see cref="BriaOptions"/> that could never make a successful call, at start-up.</summary>
internal sealed class BriaOptionsValidator : IValidateOptions<BriaOptions>
{
    public ValidateOptionsResult Validate(string? name, BriaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.ApiToken))
        {
            failures.Add($"{BriaOptions.SectionName}:{nameof(BriaOptions.ApiToken)} is required (Bria's api_token).");
        }

        if (options.BaseUrl is null || !options.BaseUrl.IsAbsoluteUri ||
            (options.BaseUrl.Scheme != Uri.UriSchemeHttps && options.BaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{BriaOptions.SectionName}:{nameof(BriaOptions.BaseUrl)} must be an absolute http or https URL.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{BriaOptions.SectionName}:{nameof(BriaOptions.ConnectTimeout)} must be positive.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{BriaOptions.SectionName}:{nameof(BriaOptions.RequestTimeout)} must be positive.");
        }

        if (options.WebhookTolerance < TimeSpan.FromSeconds(1) || options.WebhookTolerance > TimeSpan.FromHours(1))
        {
            failures.Add($"{BriaOptions.SectionName}:{nameof(BriaOptions.WebhookTolerance)} must lie between 00:00:01 and 01:00:00 (default 00:05:00).");
        }

        if (options.WebhookPublicUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"{BriaOptions.SectionName}:{nameof(BriaOptions.WebhookPublicUrl)} must be an absolute http or https URL ending in /v1/bria/webhooks.");
        }

        if (options.EarlyWebhookLimit is < 1 or > 10_000_000)
        {
            failures.Add($"{BriaOptions.SectionName}:{nameof(BriaOptions.EarlyWebhookLimit)} must lie between 1 and 10000000 (default 10000).");
        }

        if (options.PreviousApiTokens.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{BriaOptions.SectionName}:{nameof(BriaOptions.PreviousApiTokens)} must not hold empty tokens.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
