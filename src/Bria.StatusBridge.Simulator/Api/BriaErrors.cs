using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace Bria.StatusBridge.Simulator.Api;

/// <summary>Bria's error envelope: <c>{"error":{"code","message","details"},"request_id"?}</c>.</summary>
internal static class BriaErrors
{
    public static JsonBytesResult Result(int code, string details, string? requestId = null, int? retryAfterSeconds = null)
    {
        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = ReasonPhrases.GetReasonPhrase(code),
                ["details"] = details,
            },
        };
        if (requestId is not null)
        {
            body["request_id"] = requestId;
        }

        return new JsonBytesResult(code, Encoding.UTF8.GetBytes(body.ToJsonString(SimulatorJson.BriaWire)), retryAfterSeconds);
    }
}
