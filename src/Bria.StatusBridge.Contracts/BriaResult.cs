using System.Text.Json;

namespace Bria.StatusBridge.Contracts;

/// <summary>The <c>result</c> object of a <c>COMPLETED</c> Bria request.</summary>
public sealed record BriaResult
{
    /// <summary>The generated image, for image endpoints. Bria's URLs point to temporary storage.</summary>
    public Uri? ImageUrl { get; init; }

    /// <summary>The generated video, for video endpoints.</summary>
    public Uri? VideoUrl { get; init; }

    /// <summary>The structured prompt: a string that holds JSON, as Bria sends it.</summary>
    public string? StructuredPrompt { get; init; }

    /// <summary>The seed used. Bria sends it as a number or as a string of digits.</summary>
    public long? Seed { get; init; }

    /// <summary>The prompt as submitted.</summary>
    public string? Prompt { get; init; }

    /// <summary>The prompt as refined by Bria, when it refined it.</summary>
    public string? RefinedPrompt { get; init; }

    /// <summary>Every other field of the result object (and of the response, such as a top-level
    /// <c>warning</c>), kept as Bria sent it.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Extra { get; init; }
}
