namespace Bria.StatusBridge.IntegrationTests.Messaging;

/// <summary>A message that exists only to travel through the broker in a test.</summary>
public sealed record RoundTripPing(Guid Id, string Text);
