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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
