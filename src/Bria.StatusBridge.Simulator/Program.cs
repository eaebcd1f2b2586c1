using Bria.StatusBridge.Simulator;

var app = SimulatorApplication.Create(args);
await app.RunAsync();
