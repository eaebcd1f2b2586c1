using System.Text.Json;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Api;

/// <summary>Collects validation messages per JSON field: snake_case, as the caller wrote them.</summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>The API's name of a contract property: <c>RequestId</c> is <c>request_id</c>.</summary>
    public static string WireName(string property) => JsonNamingPolicy.SnakeCaseLower.ConvertName(property);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        if (!messages.Contains(message, StringComparer.Ordinal))
        {
            messages.Add(message);
        }
    }

    /// <summary>Adds a validator's problem under the field's wire name, the message naming the field the same way.</summary>
    public void Add(FieldProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Add(WireName(problem.Field), problem.Describe(WireName));
    }

    public void AddRange(IEnumerable<FieldProblem> problems)
    {
        foreach (var problem in problems)
        {
            Add(problem);
        }
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
