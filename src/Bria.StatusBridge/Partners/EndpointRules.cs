using Bria.StatusBridge.Api;
using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Partners;

/// <summary>The checks on a webhook endpoint's fields, shared by the API and the portal; messages are keyed by the
/// API's snake_case field names.</summary>
internal static class EndpointRules
{
    private const int MaxUrlLength = 2048;
    private const int MaxDescriptionLength = 500;

    public static Uri? ValidateUrl(string? value, bool required, FieldErrors errors)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add("url", "Give the URL that receives the webhooks, e.g. \"https://example.com/webhooks/bria\".");
            }

            return null;
        }

        if (value.Length > MaxUrlLength)
        {
            errors.Add("url", $"The URL is {value.Length} characters long: use at most {MaxUrlLength}.");
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add("url", $"'{ApiProblems.Shorten(value)}' is not an absolute http or https URL: write it like \"https://example.com/webhooks/bria\".");
            return null;
        }

        if (url.UserInfo.Length > 0)
        {
            errors.Add("url", "Remove the user name and password from the URL: verify webhooks with the signing secret instead.");
            return null;
        }

        if (url.Fragment.Length > 0)
        {
            errors.Add("url", "Remove the '#fragment' from the URL: it is never sent to the server.");
            return null;
        }

        return url;
    }

    public static List<string>? ValidateEventTypes(IReadOnlyList<string>? values, bool required, FieldErrors errors)
    {
        var allowed = string.Join(", ", WebhookEventTypes.All);
        if (values is null)
        {
            if (required)
            {
                errors.Add("event_types", $"List the event types to receive: one or more of {allowed}.");
            }

            return null;
        }

        if (values.Count == 0)
        {
            errors.Add("event_types", $"List at least one event type: {allowed}.");
            return null;
        }

        var unknown = values.Where(v => !WebhookEventTypes.All.Contains(v)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add("event_types", $"Unknown event type(s) {string.Join(", ", unknown.Select(u => $"'{ApiProblems.Shorten(u ?? "null")}'"))}: use {allowed}.");
            return null;
        }

        return [.. values.Distinct(StringComparer.Ordinal)];
    }

    public static string? ValidateDescription(string? value, FieldErrors errors)
    {
        if (value is { Length: > MaxDescriptionLength })
        {
            errors.Add("description", $"The description is {value.Length} characters long: use at most {MaxDescriptionLength}.");
        }

        return value?.Trim();
    }
}
