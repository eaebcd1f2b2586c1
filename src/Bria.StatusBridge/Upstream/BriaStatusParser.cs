using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Upstream;

/// <summary>Turns an HTTP status code and body from Bria's status endpoint into a <see cref="StatusObservation"/>.</summary>
/// <remarks>
/// Pure and lenient on purpose: Bria's bodies differ from its schema (see docs/bria-api.md), and a field in an
/// unexpected shape must never cost a result. Whatever does not fit a typed property is kept in
/// <see cref="BriaResult.Extra"/>. Latency is left for the caller to fill in.
/// </remarks>
internal static class BriaStatusParser
{
    private static readonly HashSet<string> s_knownTopLevelFields = new(StringComparer.Ordinal)
    {
        "request_id", "status", "result", "error",
    };

    /// <summary>Maps one response, whatever its status code.</summary>
    public static StatusObservation Map(int httpStatus, string? body, TimeSpan? retryAfter) => httpStatus switch
    {
        404 => new StatusObservation.NotFound { HttpStatus = httpStatus }, // any body: Bria's JSON, a proxy's HTML, nothing
        429 => new StatusObservation.Throttled(retryAfter) { HttpStatus = httpStatus },
        >= 200 and < 300 => ParseStatusBody(httpStatus, body),
        401 => new StatusObservation.Transient(httpStatus, "Bria rejected the api_token (401 Unauthorized)", TryParseErrorEnvelope(body)),
        403 => new StatusObservation.Transient(httpStatus, "Bria refused access (403 Forbidden)", TryParseErrorEnvelope(body)),
        >= 500 and < 600 => new StatusObservation.Transient(httpStatus, $"Bria's status service failed (HTTP {httpStatus})", TryParseErrorEnvelope(body)),
        _ => new StatusObservation.Transient(httpStatus, $"Unexpected HTTP {httpStatus} from Bria", TryParseErrorEnvelope(body)),
    };

    /// <summary>Reads a successful body: <c>{"request_id", "status", "result"?, "error"?}</c>.</summary>
    public static StatusObservation ParseStatusBody(int httpStatus, string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new StatusObservation.Transient(httpStatus, "Empty body", null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return new StatusObservation.Transient(httpStatus, "Body is not valid JSON", null);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new StatusObservation.Transient(httpStatus, "Body is not a JSON object", null);
            }

            if (!root.TryGetProperty("status", out var statusElement) || statusElement.ValueKind != JsonValueKind.String)
            {
                return new StatusObservation.Transient(httpStatus, "Body has no status", ParseError(root));
            }

            var status = statusElement.GetString()!.Trim();
            if (Is(status, "IN_PROGRESS"))
            {
                return new StatusObservation.InProgress { HttpStatus = httpStatus };
            }

            if (Is(status, "COMPLETED"))
            {
                return new StatusObservation.Completed(ParseResult(root)) { HttpStatus = httpStatus };
            }

            if (Is(status, "ERROR"))
            {
                // A terminal failure stays terminal even when Bria forgot the error object.
                return new StatusObservation.Failed(ParseError(root) ?? new BriaError()) { HttpStatus = httpStatus };
            }

            if (Is(status, "UNKNOWN"))
            {
                return new StatusObservation.Unknown(ParseError(root)) { HttpStatus = httpStatus };
            }

            // Status text comes from upstream: kept short so a hostile body cannot flood the logs.
            var shown = status.Length > 40 ? status[..40] : status;
            return new StatusObservation.Transient(httpStatus, $"Unrecognised status '{shown}'", ParseError(root));
        }
    }

    /// <summary>Reads the <c>error</c> object of an error envelope (5xx, 401...), or null when there is none.</summary>
    public static BriaError? TryParseErrorEnvelope(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? ParseError(document.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads <c>Retry-After</c>, given as delta-seconds or as an HTTP date.</summary>
    public static TimeSpan? ReadRetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static bool Is(string status, string expected) =>
        string.Equals(status, expected, StringComparison.OrdinalIgnoreCase);

    private static BriaResult ParseResult(JsonElement root)
    {
        var extra = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        Uri? imageUrl = null;
        Uri? videoUrl = null;
        string? structuredPrompt = null;
        long? seed = null;
        string? prompt = null;
        string? refinedPrompt = null;

        if (root.TryGetProperty("result", out var result))
        {
            if (result.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in result.EnumerateObject())
                {
                    switch (field.Name)
                    {
                        case "image_url":
                            imageUrl = ReadUri(field, extra);
                            break;
                        case "video_url":
                            videoUrl = ReadUri(field, extra);
                            break;
                        case "structured_prompt":
                            // Bria sends a string holding JSON; should it ever send the object itself, keep its text.
                            structuredPrompt = ReadTextOrRawJson(field.Value);
                            break;
                        case "seed":
                            seed = ReadSeed(field, extra);
                            break;
                        case "prompt":
                            prompt = ReadString(field, extra);
                            break;
                        case "refined_prompt":
                            refinedPrompt = ReadString(field, extra);
                            break;
                        default:
                            extra.TryAdd(field.Name, field.Value.Clone());
                            break;
                    }
                }
            }
            else if (result.ValueKind != JsonValueKind.Null)
            {
                extra.TryAdd("result", result.Clone());
            }
        }

        // Older responses carried top-level fields such as "warning"; a result field of the same name wins the
        // plain key, so the top-level one is kept under a prefixed key rather than dropped.
        foreach (var field in root.EnumerateObject())
        {
            if (s_knownTopLevelFields.Contains(field.Name))
            {
                continue;
            }

            if (!extra.TryAdd(field.Name, field.Value.Clone()))
            {
                extra.TryAdd("response." + field.Name, field.Value.Clone());
            }
        }

        return new BriaResult
        {
            ImageUrl = imageUrl,
            VideoUrl = videoUrl,
            StructuredPrompt = structuredPrompt,
            Seed = seed,
            Prompt = prompt,
            RefinedPrompt = refinedPrompt,
            Extra = extra.Count == 0 ? null : extra,
        };
    }

    private static BriaError? ParseError(JsonElement root)
    {
        if (!root.TryGetProperty("error", out var error) || error.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (error.ValueKind != JsonValueKind.Object)
        {
            // Not the documented shape; keep what there is as the message rather than losing it.
            return new BriaError { Message = ReadTextOrRawJson(error) };
        }

        return new BriaError
        {
            Code = error.TryGetProperty("code", out var code) ? ReadTextOrRawJson(code) : null,
            Message = error.TryGetProperty("message", out var message) ? ReadTextOrRawJson(message) : null,
            Details = error.TryGetProperty("details", out var details) ? ReadTextOrRawJson(details) : null,
        };
    }

    private static string? ReadTextOrRawJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    private static Uri? ReadUri(JsonProperty field, Dictionary<string, JsonElement> extra)
    {
        if (field.Value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // Only web addresses count: on Linux "/path.png" parses as an absolute file:// URI, which no consumer can fetch.
        if (field.Value.ValueKind == JsonValueKind.String &&
            Uri.TryCreate(field.Value.GetString(), UriKind.Absolute, out var uri) &&
            (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            return uri;
        }

        extra.TryAdd(field.Name, field.Value.Clone());
        return null;
    }

    private static long? ReadSeed(JsonProperty field, Dictionary<string, JsonElement> extra)
    {
        var value = field.Value;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number when value.TryGetInt64(out var number):
                return number;
            case JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                extra.TryAdd(field.Name, value.Clone());
                return null;
        }
    }

    private static string? ReadString(JsonProperty field, Dictionary<string, JsonElement> extra)
    {
        switch (field.Value.ValueKind)
        {
            case JsonValueKind.String:
                return field.Value.GetString();
            case JsonValueKind.Null:
                return null;
            default:
                extra.TryAdd(field.Name, field.Value.Clone());
                return null;
        }
    }
}
