namespace Bria.StatusBridge.Simulator.Jobs;

/// <summary>One answer of the status endpoint for a job: the HTTP code and the exact body bytes.</summary>
internal readonly record struct JobRead(int StatusCode, byte[] Body, bool IsTerminal);
