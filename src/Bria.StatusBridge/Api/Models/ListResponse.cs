namespace Bria.StatusBridge.Api.Models;

/// <summary>A list answer: the items in <c>data</c>, so that fields can be added later without breaking clients.</summary>
internal sealed record ListResponse<T>(IReadOnlyList<T> Data);
