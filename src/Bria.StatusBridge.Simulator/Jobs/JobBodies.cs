using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Bria.StatusBridge.Simulator.Api;

namespace Bria.StatusBridge.Simulator.Jobs;

/// <summary>Renders Bria's status bodies, in Bria's field order.</summary>
internal static class JobBodies
{
    /// <summary>Bria answers exactly this for unknown and expired ids: no request_id.</summary>
    public static readonly byte[] NotFound = Encoding.UTF8.GetBytes("""{"status":"NOT_FOUND"}""");

    public static JsonObject DefaultError() => new()
    {
        ["code"] = 422,
        ["message"] = "Unprocessable Entity",
        ["details"] = "input image could not be decoded",
    };

    public static JsonObject DefaultUnknown() => new()
    {
        ["code"] = 500,
        ["message"] = "Internal Server Error",
        ["details"] = "unexpected failure",
    };

    public static byte[] InProgress(string requestId) => Render(new JsonObject
    {
        ["request_id"] = requestId,
        ["status"] = "IN_PROGRESS",
    });

    public static byte[] Completed(string requestId, JsonObject result, JsonObject? topLevel) =>
        Render(WithTopLevel(new JsonObject
        {
            ["request_id"] = requestId,
            ["status"] = "COMPLETED",
            ["result"] = result.DeepClone(),
        }, topLevel));

    public static byte[] Failed(string requestId, string status, JsonObject error, JsonObject? topLevel) =>
        Render(WithTopLevel(new JsonObject
        {
            ["request_id"] = requestId,
            ["status"] = status,
            ["error"] = error.DeepClone(),
        }, topLevel));

    /// <summary>The result object for a kind; seed as text or number because Bria sends both.</summary>
    public static JsonObject Result(JobKind kind, string requestId, Uri resultBase, long seed, bool seedAsString, string? prompt, JsonObject? extra)
    {
        JsonNode seedNode = seedAsString ? JsonValue.Create(seed.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(seed);
        var result = kind switch
        {
            JobKind.Video => new JsonObject { ["video_url"] = new Uri(resultBase, requestId + ".mp4").ToString() },
            JobKind.StructuredPrompt => new JsonObject
            {
                // A string holding JSON, not an object: the quirk parsers must survive.
                ["structured_prompt"] = new JsonObject { ["short_description"] = prompt ?? "a bicycle" }.ToJsonString(),
                ["seed"] = seedNode,
            },
            _ => ImageResult(requestId, resultBase, seedNode, prompt),
        };

        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                result[key] = value?.DeepClone();
            }
        }

        return result;
    }

    /// <summary>The body with a numeric <c>error.code</c> turned into the string form Bria's webhooks are reported to
    /// send (422 becomes <c>"VALIDATION_ERROR"</c>); other bodies come back unchanged.</summary>
    public static byte[] WithStringErrorCode(byte[] body)
    {
        if (JsonNode.Parse(body) is not JsonObject root || root["error"] is not JsonObject error
            || error["code"] is not JsonValue code || !code.TryGetValue<int>(out var number))
        {
            return body;
        }

        error["code"] = number switch
        {
            400 => "BAD_REQUEST",
            401 => "UNAUTHORIZED",
            403 => "FORBIDDEN",
            404 => "NOT_FOUND",
            408 => "TIMEOUT",
            422 => "VALIDATION_ERROR",
            429 => "RATE_LIMITED",
            500 => "INTERNAL_ERROR",
            503 => "SERVICE_UNAVAILABLE",
            _ => $"ERROR_{number.ToString(CultureInfo.InvariantCulture)}",
        };
        return Render(root);
    }

    private static JsonObject ImageResult(string requestId, Uri resultBase, JsonNode seed, string? prompt)
    {
        var result = new JsonObject
        {
            ["image_url"] = new Uri(resultBase, requestId + ".png").ToString(),
            ["seed"] = seed,
        };
        if (prompt is not null)
        {
            result["prompt"] = prompt;
            result["refined_prompt"] = prompt + ", refined";
        }

        return result;
    }

    private static JsonObject WithTopLevel(JsonObject body, JsonObject? topLevel)
    {
        if (topLevel is not null)
        {
            foreach (var (key, value) in topLevel)
            {
                body[key] = value?.DeepClone();
            }
        }

        return body;
    }

    private static byte[] Render(JsonObject body) => Encoding.UTF8.GetBytes(body.ToJsonString(SimulatorJson.BriaWire));
}
