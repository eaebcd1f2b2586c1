namespace Bria.StatusBridge.Hosting;

/// <summary>The options types the bridge validates, for <see cref="ConfigurationCheck"/>.</summary>
internal sealed record ValidatedOptionsTypes(IReadOnlyList<Type> Types);
