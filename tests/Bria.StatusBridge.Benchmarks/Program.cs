using Bria.StatusBridge.Benchmarks;

// The in-process simulator and bridge log at Information by default: their lines would bury the tables.
Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
return await BenchmarkProgram.RunAsync(args, Console.Out, cancellation.Token);
