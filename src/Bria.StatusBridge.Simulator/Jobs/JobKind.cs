namespace Bria.StatusBridge.Simulator.Jobs;

/// <summary>The endpoint family that submitted a job; it picks the result's shape and the durations.</summary>
public enum JobKind
{
    /// <summary>Image generation or editing: the result carries <c>image_url</c>.</summary>
    Image = 0,

    /// <summary>Video generation or editing: the result carries <c>video_url</c>.</summary>
    Video = 1,

    /// <summary>Structured prompt generation: the result carries only <c>structured_prompt</c> (and a seed).</summary>
    StructuredPrompt = 2,
}
