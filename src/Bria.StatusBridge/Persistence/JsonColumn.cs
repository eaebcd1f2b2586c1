namespace Bria.StatusBridge.Persistence;

/// <summary>A column of <see cref="SqlDialect.JsonRows"/>: its name (the JSON property) and its SQL type.</summary>
internal readonly record struct JsonColumn(string Name, string Type)
{
    public override string ToString() => $"{Name} {Type}";
}
