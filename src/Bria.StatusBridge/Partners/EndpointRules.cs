using Bria.StatusBridge.Api;
using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Partners;

/// <summary>The checks on a webhook endpoint's fields, shared by the API and the portal; messages are keyed by the
/// API's snake_case field names.</summary>
internal static class EndpointRules
{
    private const int MaxDescriptionLength = 500;

    public static Uri? ValidateUrl(string? value, bool required, FieldErrors errors)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add("url", $"url is required: give the URL that receives the webhooks, such as {WebhookUrlRule.Example}.");
            }

            return null;
        }

        if (!WebhookUrlRule.TryParse(value, out var url, out var problem))
        {
            errors.Add("url", $"url {problem}");
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
