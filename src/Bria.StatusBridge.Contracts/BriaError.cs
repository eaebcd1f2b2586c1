namespace Bria.StatusBridge.Contracts;

/// <summary>Bria's error object, as reported with an <c>ERROR</c> or <c>UNKNOWN</c> status.</summary>
public sealed record BriaError
{
    /// <summary>Bria's error code. Status responses send a number (<c>422</c>), Bria's webhooks a word
    /// (<c>VALIDATION_ERROR</c>); both are kept as text.</summary>
    public string? Code { get; init; }

    /// <summary>A short message, for example <c>Unprocessable Entity</c>.</summary>
    public string? Message { get; init; }

    /// <summary>Bria's details, as text (an object or array is kept as its JSON).</summary>
    public string? Details { get; init; }
}
