namespace Bria.StatusBridge.Persistence;

/// <summary>How long an error text may be where it is stored (attempt logs, outbox rows, operator events).</summary>
internal static class StoredText
{
    public const int MaxErrorLength = 2000;

    /// <summary>The error cut to <see cref="MaxErrorLength"/> characters.</summary>
    public static string? Error(string? text) => text is { Length: > MaxErrorLength } ? text[..MaxErrorLength] : text;
}
