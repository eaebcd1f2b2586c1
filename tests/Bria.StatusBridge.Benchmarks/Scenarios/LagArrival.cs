using Bria.StatusBridge.Simulator.Jobs;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>One job of a lag-vs-budget run: its id, arrival and duration (scenario seconds) and its kind.</summary>
internal sealed record LagArrival(string Id, double At, double Duration, JobKind Kind);
