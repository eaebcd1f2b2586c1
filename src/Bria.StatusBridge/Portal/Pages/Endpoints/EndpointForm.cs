namespace Bria.StatusBridge.Portal.Pages.Endpoints;

/// <summary>The fields of the add and edit forms of an endpoint, and their error messages by the API's field names.</summary>
internal sealed class EndpointForm
{
    public string? Url { get; set; }

    public string? Description { get; set; }

    // Empty, not every type: a form with every box unticked binds nothing, and that must read as none.
    public List<string> EventTypes { get; set; } = [];

    public IReadOnlyDictionary<string, string[]> Errors { get; set; } = new Dictionary<string, string[]>();

    public string? Refusal { get; set; }

    public IReadOnlyList<string> ErrorsFor(string field) => Errors.TryGetValue(field, out var messages) ? messages : [];

    /// <summary>Every message, the refusal first, for the summary at the top of the form.</summary>
    public IReadOnlyList<string> AllErrors() => [.. (Refusal is null ? [] : new[] { Refusal }), .. Errors.Values.SelectMany(m => m)];
}
