using System.Text.Json.Nodes;

namespace Bria.StatusBridge.IntegrationTests.Streams;

/// <summary>One server-sent event as a client reads it.</summary>
public sealed record SseEvent(string? Id, string Type, JsonObject Data);
