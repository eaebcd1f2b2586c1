using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bria.StatusBridge.Simulator.Api;

/// <summary>The wire format: snake_case names and enum values, as Bria writes them.</summary>
internal static class SimulatorJson
{
    /// <summary>For control API bodies; unknown fields are refused so a typo cannot silently script the wrong job.</summary>
    public static readonly JsonSerializerOptions Strict = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    });

    /// <summary>For Bria bodies: quotes inside strings stay plain (<c>\"</c>, not <c>\u0022</c>), as Bria writes them.</summary>
    public static readonly JsonSerializerOptions BriaWire = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        return options;
    }
}
