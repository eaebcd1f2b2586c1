namespace Bria.StatusBridge.Tracking;

/// <summary>One problem with one field of a command. <paramref name="Field"/> is the contract's property name
/// (<c>RequestId</c>); each entry point spells it its own way (the bus as the property, the HTTP API in snake_case).
/// <paramref name="Message"/> follows the field's name and says what to change.</summary>
public sealed record FieldProblem(string Field, string Message)
{
    /// <summary>The problem as a sentence, with the field named by <paramref name="fieldName"/>.</summary>
    public string Describe(Func<string, string> fieldName)
    {
        ArgumentNullException.ThrowIfNull(fieldName);
        return $"{fieldName(Field)} {Message}";
    }
}
