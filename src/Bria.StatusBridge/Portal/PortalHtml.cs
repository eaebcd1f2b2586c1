using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Bria.StatusBridge.Portal;

/// <summary>Small pieces of markup the portal's pages share.</summary>
internal static class PortalHtml
{
    /// <summary>A time as <c>&lt;time datetime&gt;</c> with a UTC text that the page's script turns into the viewer's zone.</summary>
    public static IHtmlContent Time(DateTimeOffset? value, string empty = "—")
    {
        if (value is not { } time)
        {
            return new HtmlString(HtmlEncoder.Default.Encode(empty));
        }

        var utc = time.ToUniversalTime();
        return new HtmlString(
            $"<time datetime=\"{utc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)}\">{utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC</time>");
    }

    /// <summary>A state as a coloured badge (with its name in text, so colour is never the only signal).</summary>
    public static IHtmlContent Badge(string state)
    {
        var kind = state.ToLowerInvariant() switch
        {
            "delivered" or "completed" or "enabled" => "ok",
            "failed" or "disabled" => "bad",
            _ => "wait",
        };
        return new HtmlString($"<span class=\"badge {kind}\">{HtmlEncoder.Default.Encode(state.ToLowerInvariant())}</span>");
    }

    /// <summary>A UTC time for a <c>datetime-local</c> input, which the portal reads as UTC.</summary>
    public static string InputTime(DateTimeOffset? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) ?? "";

    /// <summary>Reads a <c>datetime-local</c> input as UTC; null when empty or unreadable.</summary>
    public static DateTimeOffset? ParseInputTime(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;
}
