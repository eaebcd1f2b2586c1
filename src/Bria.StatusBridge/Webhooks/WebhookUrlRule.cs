namespace Bria.StatusBridge.Webhooks;

/// <summary>The one rule for the shape of a URL that receives webhooks, used by every door (the bus command's
/// <c>WebhookUrl</c>, the API's <c>webhook_url</c> and endpoint <c>url</c>, and each send): absolute, http or https,
/// no user name or password, no fragment, at most <see cref="MaxLength"/> characters. Where it may point (HTTPS only,
/// refused addresses) is <see cref="WebhookUrlPolicy"/>'s job.</summary>
internal static class WebhookUrlRule
{
    /// <summary>The longest URL accepted.</summary>
    public const int MaxLength = 2048;

    /// <summary>A URL of the right shape, for messages.</summary>
    public const string Example = "https://example.com/webhooks/bria";

    /// <summary>Checks a URL; a refusal's message follows the field's name ("webhook_url must be ...").</summary>
    public static UrlCheckResult Check(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url.IsAbsoluteUri ? url.AbsoluteUri : url.OriginalString;
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return UrlCheckResult.Refused(
                url.IsAbsoluteUri ? "scheme" : "absolute-url",
                $"'{Shorten(text)}' must be an absolute http or https URL, such as {Example}.");
        }

        if (text.Length > MaxLength)
        {
            return UrlCheckResult.Refused("length", $"is {text.Length} characters long: use at most {MaxLength}.");
        }

        if (url.UserInfo.Length > 0)
        {
            return UrlCheckResult.Refused("credentials", "must not carry a user name and password: remove them, and verify the webhook signature instead.");
        }

        return url.Fragment.Length > 0
            ? UrlCheckResult.Refused("fragment", "must not end in a '#fragment' (it is never sent to the server): remove it.")
            : UrlCheckResult.Ok;
    }

    /// <summary>Reads and checks a URL written as text; on failure <paramref name="problem"/> follows the field's
    /// name and says what to change.</summary>
    public static bool TryParse(string text, out Uri? url, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            ? Check(parsed)
            : UrlCheckResult.Refused("absolute-url", $"'{Shorten(text)}' must be an absolute http or https URL, such as {Example}.");
        url = result.Allowed ? parsed : null;
        problem = result.Message;
        return result.Allowed;
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..77] + "...";
}
