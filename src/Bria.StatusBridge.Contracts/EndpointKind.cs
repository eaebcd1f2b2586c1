using System.Text.Json.Serialization;

namespace Bria.StatusBridge.Contracts;

/// <summary>The kind of Bria endpoint that produced a request; it picks the poll schedule.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EndpointKind>))]
public enum EndpointKind
{
    /// <summary>Image generation or editing: results usually arrive within seconds.</summary>
    Image = 0,

    /// <summary>Video generation or editing: results usually take minutes.</summary>
    Video = 1,

    /// <summary>Structured prompt generation: a JSON prompt and no image.</summary>
    StructuredPrompt = 2,
}
