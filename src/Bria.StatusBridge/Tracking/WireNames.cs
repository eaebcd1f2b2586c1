using System.Globalization;
using System.Text.Json;

namespace Bria.StatusBridge.Tracking;

/// <summary>The one spelling of each value outside the bus: the HTTP API, webhooks, metric tags and messages write
/// enum values in snake_case (<c>structured_prompt</c>, <c>timed_out</c>, <c>completed</c>) and times as UTC with
/// milliseconds (<c>2026-11-29T10:00:03.100Z</c>). The bus keeps the Contracts' enum names (<c>StructuredPrompt</c>):
/// they are the messages' wire identity, and every door reads every spelling. docs/api.md has the table.</summary>
internal static class WireNames
{
    /// <summary>The format of every time the bridge writes outside the bus.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>An enum value's spelling: <c>StructuredPrompt</c> becomes <c>structured_prompt</c>.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>A time's spelling: UTC, milliseconds, <c>Z</c>.</summary>
    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Every spelling of an enum type, in declaration order, for messages such as "use image, video or ...".</summary>
    public static string Choices<TEnum>()
        where TEnum : struct, Enum => Choices(typeof(TEnum));

    /// <summary>Every spelling of <paramref name="enumType"/>, in declaration order.</summary>
    public static string Choices(Type enumType)
    {
        var names = Enum.GetNames(enumType).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName).ToList();
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";
    }

    /// <summary>A stored observation (the <c>StatusObservation</c> case's name) as metrics and the API spell it:
    /// <c>InProgress</c> is <c>in_progress</c>, and Bria's <c>ERROR</c> (<c>Failed</c>) is <c>error</c>.</summary>
    public static string? Observation(string? stored) => stored switch
    {
        null => null,
        "Failed" => "error",
        _ => JsonNamingPolicy.SnakeCaseLower.ConvertName(stored),
    };

    /// <summary>Reads any spelling of an enum value (<c>structured_prompt</c>, <c>structuredPrompt</c>,
    /// <c>StructuredPrompt</c>); numbers are refused.</summary>
    public static bool TryRead<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        var wanted = Normalize(text ?? "");
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (Normalize(candidate.ToString()) == wanted)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>A field or value name without case, underscores or dashes: how the bus matches names.</summary>
    public static string Normalize(string name) =>
        name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
}
